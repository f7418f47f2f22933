"""``python -m pyruntime``: see pyruntime.cli."""

import sys

from pyruntime.cli import main

if __name__ == "__main__":
    sys.exit(main())
