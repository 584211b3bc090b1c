"""``python -m nncore`` and the ``nncore`` command: the process's settings first, then :mod:`nncore.cli`."""

import sys

from .process import use_one_blas_thread


def main(argv=None):
    """Set the process-wide settings (before anything loads NumPy), then run the CLI; returns its status."""
    use_one_blas_thread()
    from .cli import main as cli_main  # imports NumPy, so only now

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
