"""The bundle's ``nncore`` program: the command-line core, as ``uv run nncore`` runs it."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()   # `nncore sweep` starts its worker processes as this program
    from nncore.__main__ import main

    sys.exit(main())
