"""``python -m nncore``: see :mod:`nncore.cli`."""

import sys

from .cli import main

sys.exit(main())
