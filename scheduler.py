"""APScheduler entry point: archive every configured board on its schedule, unattended.

    python scheduler.py [--config FILE] [--once BOARD [--full]] [--list]

The logic lives in :mod:`archive.schedule` (also ``board-archive schedule``).
"""

import sys

from archive.schedule import main

if __name__ == "__main__":
    sys.exit(main())
