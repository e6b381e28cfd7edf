"""Run a Python module and write the process's own peak RSS when it exits:

    python bench/_peak.py PEAK_FILE -m module [args...]

Why not ``ru_maxrss`` from ``os.wait4``: Linux carries a process's peak RSS across ``execve``, and
Python starts children with ``vfork``, so a child's ``ru_maxrss`` is at least its parent's own peak
(a benchmark holding a 100,000-post demo board in memory made each of its crawls look 250 MB
big, whatever the crawl used). ``VmHWM`` in ``/proc/self/status`` is the peak of this process
image alone; it is written (in bytes) by an ``atexit`` hook, after the program has finished.
"""

from __future__ import annotations

import atexit
import os
import runpy
import sys


def own_peak_rss() -> int:
    """Bytes: the peak resident set size of this process since it was exec'd."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _report(path: str) -> None:
    with open(path, "w", encoding="ascii") as out:
        out.write(str(own_peak_rss()))


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[2] != "-m":
        sys.exit(__doc__)
    atexit.register(_report, sys.argv[1])
    sys.path[0] = os.getcwd()  # as ``python -m`` has it, not this script's directory
    sys.argv = sys.argv[3:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
