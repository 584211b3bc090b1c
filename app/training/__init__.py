"""Training: the settings panel and its config, the session with its worker thread, the live plots,
the list of runs and their history, the saturation plot of every run, and the epoch progress strip.

Qt-free models: ``training_config`` and ``run_history``.
"""
