"""Config: ``render`` ("http" or "browser") and ``render_views``; login only on GnuBoard boards."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.config import BoardConfig, ConfigError, load_config

URL = "http://h/bbs/board.php?bo_table=a"
RHYMIX = 'url = "http://h/index.php?mid=notice"\nengine = "rhymix"\n'


def load(tmp_path: Path, body: str, defaults: str = "") -> BoardConfig:
    path = tmp_path / "boards.toml"
    path.write_text(f"{defaults}[boards.press]\n{body}", encoding="utf-8")
    return load_config(path, env={}).board("press")


def test_plain_http_by_default(tmp_path: Path) -> None:
    board = load(tmp_path, f'url = "{URL}"\n')
    assert (board.render, board.render_views) == ("http", False)


def test_browser(tmp_path: Path) -> None:
    board = load(tmp_path, f'url = "{URL}"\nrender = "browser"\n')
    assert (board.render, board.render_views, board.render_wait) == ("browser", False, 15.0)
    board = load(tmp_path, f'url = "{URL}"\nrender = "browser"\nrender_wait = 40\n')
    assert board.render_wait == 40.0
    board = load(tmp_path, f'url = "{URL}"\nrender = "browser"\nrender_views = true\n')
    assert (board.render, board.render_views) == ("browser", True)


def test_browser_from_defaults(tmp_path: Path) -> None:
    board = load(tmp_path, f'url = "{URL}"\n', defaults='[defaults]\nrender = "browser"\n')
    assert board.render == "browser"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('render = "chromium"\n', "boards.press.render: expected one of http, browser"),
        ("render = true\n", "boards.press.render: expected a string"),
        ("render_views = true\n", 'boards.press.render_views: only with render = "browser"'),
        (
            'render = "browser"\nrender_views = "yes"\n',
            "boards.press.render_views: expected true or false",
        ),
        ("render_wait = 0\n", "boards.press.render_wait: expected a number >= 0.1"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, f'url = "{URL}"\n{extra}')
    assert message in str(exc.value)


def test_login_is_for_gnuboard_only(tmp_path: Path) -> None:
    login = 'login_user_env = "U"\nlogin_password_env = "P"\n'
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, RHYMIX + login)
    assert 'boards.press.login_user_env: login is only for engine = "gnuboard5"' in str(exc.value)
    with pytest.raises(ConfigError, match="login is only for"):
        load(tmp_path, RHYMIX, defaults=f"[defaults]\n{login}")
    assert load(tmp_path, f'url = "{URL}"\n{login}').login_user_env == "U"
    assert load(tmp_path, RHYMIX).login_user_env is None
