"""Running ``nncore`` in the test's own process: the exit status and what it printed."""

from nncore.cli import main


def cli(capsys, *args):
    """Run ``nncore ARGS`` in process; returns (exit status, stdout, stderr)."""
    try:
        status = main(list(args))
    except SystemExit as e:
        status = e.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err
