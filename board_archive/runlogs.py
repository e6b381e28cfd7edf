"""Where one crawl's log goes: a file per run, ``DATA_DIR/logs/BOARD/YYYYMMDDTHHMMSSZ.log``.

``board-archive crawl`` and the scheduler's jobs both send a crawl's whole log (Scrapy's)
there; the newest ``KEPT_LOGS`` per board are kept. Beside it, the run's progress file (read by
the terminal's progress display, ``board_archive.progress``). Boards crawled together in one
crawl process (``crawl A B C``) share one log, in ``DATA_DIR/logs/_together/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

KEPT_LOGS = 50  # log files kept per board, the newest


@dataclass(frozen=True, slots=True)
class RunFiles:
    """Where one crawl's log and progress go."""

    log: Path
    progress: Path

    @classmethod
    def new(cls, data_dir: Path, board: str) -> RunFiles:
        folder = data_dir / "logs" / board
        folder.mkdir(parents=True, exist_ok=True)
        for old in sorted(folder.glob("*.log"))[:-KEPT_LOGS]:
            old.unlink(missing_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return cls(folder / f"{stamp}.log", folder / f".{stamp}.progress.json")

    @classmethod
    def several(cls, data_dir: Path, boards: list[str]) -> RunFiles:
        """The one log of boards crawled together (no progress file: that is one board's)."""
        files = cls.new(data_dir, "_together")
        name = f"{boards[0]}+{len(boards) - 1}" if len(boards) > 1 else boards[0]
        log = files.log.with_name(f"{files.log.stem}-{name}.log")
        return cls(log, files.progress)
