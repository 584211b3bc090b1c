"""``python -m nncore`` and the ``nncore`` command: the process's settings first, then :mod:`nncore.cli`."""

import sys

from .process import use_one_blas_thread

EXIT_INTERRUPTED = 130


def main(argv=None):
    """Set the process-wide settings (before anything loads NumPy), then run the CLI; returns its status.

    A Ctrl-C while NumPy and the CLI load ends the program quietly, as one while it runs does.
    """
    use_one_blas_thread()
    try:
        from .cli import main as cli_main  # imports NumPy, so only now

        return cli_main(argv)
    except KeyboardInterrupt:
        print("nncore: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
