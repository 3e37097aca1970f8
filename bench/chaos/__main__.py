"""``python -m bench.chaos``: the long crash-and-tamper run (bench/README.md)."""

import sys

from bench.chaos.run import main

sys.exit(main())
