"""``python -m mmso_core`` runs the ``mmso`` command."""

import sys

from mmso_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
