"""A process tree's memory, sampled from ``/proc``: the sum of its processes' RSS (its peak is
the tree's peak RSS, as sampled), each process's own peak (``VmHWM``) and CPU time. Used by
``bench/fleet_schedule.py`` and ``bench/fleet_workers.py``."""

from __future__ import annotations

import os
import threading
from collections import defaultdict

MB = 1024 * 1024


def _children_of() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        kids[ppid].append(int(entry))
    return kids


def tree(roots: list[int]) -> list[int]:
    kids = _children_of()
    out, todo = [], list(roots)
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> tuple[int, float] | None:
    """``pid``'s (start time in ticks, CPU seconds so far: user + system); None when gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rpartition(")")[2].split()
    except OSError:
        return None
    # after the command: state, ppid, ... utime (field 14), stime (15), starttime (22)
    return int(fields[19]), (int(fields[11]) + int(fields[12])) / _TICK


def _status(pid: int) -> tuple[int, int]:
    """Bytes: (VmRSS, VmHWM) of ``pid``; (0, 0) when it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, hwm


class TreeSampler:
    """Samples every ``interval`` s the processes under ``roots``: the sum of their RSS (its
    peak is the tree's peak RSS, as sampled) and each process's own peak (``VmHWM``)."""

    def __init__(self, roots: list[int], interval: float = 1.0) -> None:
        self.roots, self.interval = list(roots), interval
        self.peak_sum = 0
        self.peak_processes = 0
        self.hwm: dict[int, int] = {}  # pid -> its VmHWM, last seen
        self._cpu: dict[tuple[int, int], float] = {}  # (pid, start) -> its CPU s, last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="tree-sampler")

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        pids = tree(self.roots)
        total = 0
        for pid in pids:
            rss, hwm = _status(pid)
            total += rss
            if hwm:
                self.hwm[pid] = max(hwm, self.hwm.get(pid, 0))
            cpu = _cpu(pid)
            if cpu is not None:
                self._cpu[(pid, cpu[0])] = cpu[1]
        self.peak_sum = max(self.peak_sum, total)
        self.peak_processes = max(self.peak_processes, len(pids))

    @property
    def cpu_seconds(self) -> float:
        """The CPU seconds of every process seen in the tree, as last sampled (a process that
        was in the tree is counted whoever reaps it; its last second may be missed)."""
        return sum(self._cpu.values())

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def line(self) -> str:
        hwms = sorted(self.hwm.values())
        biggest = hwms[-1] / MB if hwms else 0.0
        return (
            f"peak RSS of the whole tree (sum, sampled every {self.interval:.0f} s) "
            f"{self.peak_sum / MB:.0f} MB, at most {self.peak_processes} processes at once, "
            f"{len(hwms)} processes in all; largest VmHWM of one process {biggest:.0f} MB"
        )
