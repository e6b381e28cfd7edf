"""APScheduler entry point: archive every configured board on its schedule, unattended.

    python scheduler.py [--config FILE] [--once BOARD [--full]] [--list] [--fleet]

The logic lives in :mod:`board_archive.schedule` and its command line in
:mod:`board_archive.schedule_cli` (also ``board-archive schedule``).
"""

import sys

from board_archive.schedule_cli import main

if __name__ == "__main__":
    sys.exit(main())
