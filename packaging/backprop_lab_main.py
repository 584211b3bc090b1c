"""The bundle's ``backprop-lab`` program: the window (``app.__main__``), and what a frozen program must
also answer to where Python would be started."""

import multiprocessing
import sys

if __name__ == "__main__":
    # A sweep's worker processes (multiprocessing's "spawn") start as this program: they run and end here.
    multiprocessing.freeze_support()
    # The window's sweeps run `sys.executable -m nncore sweep ...`, and in the bundle that is this program.
    if sys.argv[1:3] == ["-m", "nncore"]:
        from nncore.__main__ import main as nncore_main

        sys.exit(nncore_main(sys.argv[3:]))
    from app.__main__ import main

    sys.exit(main())
