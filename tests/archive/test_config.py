"""Configuration: one file, validated at load, every error naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.config import (
    ArchiveTable,
    BoardConfig,
    ConfigError,
    NotifyTable,
    SchedulerConfig,
    adhoc_board,
    load_config,
)
from archive.config_board import GenericProfile, RevisitDays

GOOD = """
[archive]
contact_url = "https://example.org/archive"

[defaults]
delay = 2.5

[notify]
urls = ["json://127.0.0.1:9/hook"]

[boards.press]
url = "https://www.example.or.kr/bbs/board.php?bo_table=press"
concurrency = 1
schedule = "15 3 * * *"
notify = ["mailto://ops@example.org"]

[boards.press.selectors]
view_body = "#my_content"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "boards.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_with_defaults_and_env(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "postgresql://u@h/db", "BOARD_ARCHIVE_NOTIFY_URLS": "json://x/y"}
    cfg = load_config(write(tmp_path, GOOD), env=env)
    press = cfg.board("press")
    assert (press.delay, press.concurrency, press.schedule) == (2.5, 1, "15 3 * * *")
    assert press.full_schedule == "0 4 * * 0" and press.timezone == "Asia/Seoul"
    assert press.parsed_selectors().view_body == "#my_content"
    assert cfg.database_url == "postgresql+psycopg://u@h/db"
    assert cfg.notify_urls(press) == (
        "json://127.0.0.1:9/hook",
        "json://x/y",
        "mailto://ops@example.org",
    )


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = load_config(env={})
    assert cfg.boards == {} and cfg.database_url == "sqlite:///var/archive.sqlite3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[boards.press]\nurl = "x"\n', "boards.press.url: expected an http(s) URL"),
        ('[boards.press]\nurl = "https://h/bbs/board.php"\n', "needs bo_table"),
        ('[boards.p]\nurl = "https://h/b?bo_table=a"\ndelay = "fast"\n', "boards.p.delay"),
        ('[boards.p]\nurl = "https://h/b?bo_table=a"\nconcurrency = 0\n', "boards.p.concurrency"),
        ('[boards.p]\nurl = "https://h/b?bo_table=a"\nspeed = 1\n', "boards.p.speed: unknown key"),
        ('[boards.p]\nurl = "https://h/b?bo_table=a"\nschedule = "nightly"\n', "boards.p.schedule"),
        ('[boards.p]\nurl = "https://h/b?bo_table=a"\n[boards.p.selectors]\nnope = "a"\n', "nope"),
        ('[boards.p]\nurl = "https://h/b?bo_table=a"\ntimezone = "Mars/Base"\n', "timezone"),
        ("[archive]\ncolour = 1\n", "archive.colour: unknown key"),
        ("[archive]\nblob_dir = 3\n", "archive.blob_dir: expected a string"),
        ('[archive]\ntimezone = "KST"\n', "archive.timezone: unknown time zone 'KST'"),
        ("[archive]\ntimezone = 9\n", "archive.timezone: expected a string"),
        ('[boards.p]\nurl = "https://h/b?bo_table=a"\nmax_file_size = "big"\n', "max_file_size"),
        ('[boards.p]\nurl = "https://h/b?bo_table=a"\nmax_run_bytes = 0\n', "max_run_bytes"),
        (
            '[defaults]\nfetch_external_images = "yes"\n[boards.p]\nurl = "https://h/b?bo_table=a"',
            "boards.p.fetch_external_images: expected true or false",
        ),
        ("[notify]\nurls = [1]\n", "notify.urls"),
        ('[boards.p]\nurl = "https://h/b?bo_table=a"\nrevisit = 3\n', "boards.p.revisit: expected"),
        (
            '[boards.p]\nurl = "https://h/b?bo_table=a"\n[boards.p.revisit]\nsoon = 1\n',
            "boards.p.revisit.soon: unknown key",
        ),
        (
            '[boards.p]\nurl = "https://h/b?bo_table=a"\n[boards.p.revisit]\nburst = -1\n',
            "boards.p.revisit.burst",
        ),
        (
            '[boards.p]\nurl = "https://h/b?bo_table=a"\n[boards.p.revisit]\nmax_interval = 0.5\n',
            "boards.p.revisit.max_interval",
        ),
        ("[boards\n", "not valid TOML"),
    ],
)
def test_bad_files_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(
        ConfigError, match=message.replace(".", r"\.").replace("(", r"\(").replace(")", r"\)")
    ):
        load_config(write(tmp_path, text), env={})


@pytest.mark.parametrize("cron", ["0 4 * * 7", "0 4 * * sun"])
def test_crons_are_read_as_crontab_reads_them(tmp_path: Path, cron: str) -> None:
    """Weekday 7 is Sunday, as the scheduler runs it (APScheduler's from_crontab refuses 7)."""
    text = f'[boards.p]\nurl = "https://h/b?bo_table=a"\nfull_schedule = "{cron}"\n'
    assert load_config(write(tmp_path, text), env={}).board("p").full_schedule == cron


def test_cron_weekday_past_7_is_refused_naming_the_key(tmp_path: Path) -> None:
    text = '[boards.p]\nurl = "https://h/b?bo_table=a"\nfull_schedule = "0 4 * * 8"\n'
    with pytest.raises(ConfigError, match=r"boards\.p\.full_schedule: not a cron expression"):
        load_config(write(tmp_path, text), env={})


def test_missing_explicit_file_and_unknown_board(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "nope.toml", env={})
    cfg = load_config(write(tmp_path, GOOD), env={})
    with pytest.raises(ConfigError, match=r"unknown board 'x'.*press"):
        cfg.board("x")


def test_adhoc_board_name_from_host_and_table() -> None:
    board = adhoc_board("https://www.gntp.or.kr/bbs/board.php?bo_table=press&page=2")
    assert board.name == "www.gntp.or.kr-press"


def test_file_keys_and_the_blob_store(tmp_path: Path) -> None:
    default = load_config(write(tmp_path, GOOD), env={})
    assert default.blob_dir == Path("var/blobs")
    press = default.board("press")
    assert (press.max_file_size, press.max_run_bytes, press.fetch_external_images) == (
        50 * 1024 * 1024,
        1024**3,
        False,
    )
    text = (
        '[archive]\ndata_dir = "/srv/archive"\n'
        '[defaults]\nmax_file_size = "1.5M"\nfetch_external_images = true\n'
        '[boards.p]\nurl = "https://h/b?bo_table=a"\nmax_run_bytes = 2000000\n'
    )
    cfg = load_config(write(tmp_path, text), env={})
    assert cfg.blob_dir == Path("/srv/archive/blobs")
    p = cfg.board("p")
    assert (p.max_file_size, p.max_run_bytes, p.fetch_external_images) == (1572864, 2000000, True)
    own = load_config(write(tmp_path, '[archive]\nblob_dir = "/mnt/blobs"\n'), env={})
    assert own.blob_dir == Path("/mnt/blobs")


def test_a_board_sets_its_revisit_periods(tmp_path: Path) -> None:
    text = (
        "[defaults.revisit]\nburst = 30\n"
        '[boards.grants]\nurl = "https://h/b?bo_table=grants"\n'
        "[boards.grants.revisit]\nyoung = 14\nexplore_after = 1.5\nmax_interval = 30\n"
        '[boards.press]\nurl = "https://h/b?bo_table=press"\n'
    )
    cfg = load_config(write(tmp_path, text), env={})
    # a board's own table replaces the defaults' table whole
    assert cfg.board("grants").revisit == {"young": 14, "explore_after": 1.5, "max_interval": 30}
    assert cfg.board("press").revisit == {"burst": 30}


def test_every_error_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    """Not only the first: each bad key, in every table and board, on a line of its own."""
    text = (
        "colour = 1\n"
        '[archive]\ncontact_url = "ftp://x"\n'
        '[defaults]\nfetch_external_images = "yes"\nspeed = 3\n'
        '[boards.p]\nurl = "https://h/b?bo_table=a"\ndelay = "fast"\nconcurrency = 0\n'
        'name = "q"\n'
        "[boards.p.revisit]\nsoon = 1\nmax_interval = 0.5\n"
        '[boards.q]\nurl = "x"\nlogin_user_env = "U"\n'
        "[scheduler]\nmisfire_grace = 0\n"
    )
    with pytest.raises(ConfigError) as exc:
        load_config(write(tmp_path, text), env={})
    where = str(tmp_path / "boards.toml")
    expected = {
        "colour: unknown key",
        "archive.contact_url: expected an http(s) or mailto URL",
        "defaults.speed: unknown key",
        "boards.p.fetch_external_images: expected true or false, got 'yes'",
        "boards.p.delay: expected a number >= 0, got 'fast'",
        "boards.p.concurrency: expected an integer 1-32, got 0",
        "boards.p.name: unknown key",
        "boards.p.revisit.soon: unknown key",
        "boards.p.revisit.max_interval: expected at least 1 (day), got 0.5",
        "boards.q.url: expected an http(s) URL, got 'x'",
        "boards.q.fetch_external_images: expected true or false, got 'yes'",
        "boards.q.login_password_env: required with login_user_env",
        "scheduler.misfire_grace: expected an integer 1 or more, got 0",
    }
    assert set(exc.value.lines) == {f"{where}: {line}" for line in expected}
    assert str(exc.value) == "\n".join(exc.value.lines)


def test_a_bad_board_name_and_a_board_that_is_no_table(tmp_path: Path) -> None:
    text = '[boards]\np = 3\n"a b" = {url = "https://h/b?bo_table=a"}\n'
    with pytest.raises(ConfigError) as exc:
        load_config(write(tmp_path, text), env={})
    assert [line.split(": ", 1)[1] for line in exc.value.lines] == [
        "boards.p: expected a table",
        "boards.a b: a board name is letters, digits, _.-",
    ]


def test_every_key_is_declared_with_its_meaning() -> None:
    tables = (
        ArchiveTable,
        SchedulerConfig,
        NotifyTable,
        BoardConfig,
        RevisitDays,
        GenericProfile,
    )
    for table in tables:
        for key, declared in table.model_fields.items():
            assert declared.description, f"{table.__name__}.{key} has no description"


def test_the_archive_display_zone_and_the_boards_zones(tmp_path: Path) -> None:
    """``[archive] timezone`` is where times across boards are shown; each board keeps its own."""
    default = load_config(write(tmp_path, GOOD), env={})
    assert default.timezone == "Asia/Seoul" and default.board("press").timezone == "Asia/Seoul"
    text = (
        '[archive]\ntimezone = "UTC"\n'
        '[boards.tokyo]\nurl = "https://h/b?bo_table=a"\ntimezone = "Asia/Tokyo"\n'
        '[boards.press]\nurl = "https://h/b?bo_table=b"\n'
    )
    cfg = load_config(write(tmp_path, text), env={})
    assert cfg.timezone == "UTC"
    assert (cfg.board("tokyo").timezone, cfg.board("press").timezone) == (
        "Asia/Tokyo",
        "Asia/Seoul",
    )
