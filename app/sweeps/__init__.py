"""Sweeps: ``SweepDialog`` runs ``nncore sweep`` over one parameter's values as a child process, reports
each run as it goes, plots the summary, and finds a learning rate by the book's heuristic.

Qt-free models: ``parameters``, ``sweep_plan``, ``sweep_tally`` and ``lr_finder``.
"""
