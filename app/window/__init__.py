"""The main window and what it composes: the actions, the two controllers (training, files), the
current network, the dataset loader, the status line, the settings store and the bundled files.

This is the only package that imports the feature packages (training, pad, inside); they meet here.
"""
