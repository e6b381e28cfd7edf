"""Config: login_user_env / login_password_env name environment variables, and come together."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.config import BoardConfig, ConfigError, load_config

URL = "http://h/bbs/board.php?bo_table=a"


def load(tmp_path: Path, extra: str) -> BoardConfig:
    path = tmp_path / "boards.toml"
    path.write_text(f'[boards.press]\nurl = "{URL}"\n{extra}', encoding="utf-8")
    return load_config(path, env={}).board("press")


def test_both_keys(tmp_path: Path) -> None:
    board = load(tmp_path, 'login_user_env = "PRESS_USER"\nlogin_password_env = "PRESS_PW"\n')
    assert (board.login_user_env, board.login_password_env) == ("PRESS_USER", "PRESS_PW")


def test_defaults_apply(tmp_path: Path) -> None:
    path = tmp_path / "boards.toml"
    defaults = '[defaults]\nlogin_user_env = "U"\nlogin_password_env = "P"\n'
    path.write_text(f'{defaults}[boards.press]\nurl = "{URL}"\n', encoding="utf-8")
    assert load_config(path, env={}).board("press").login_password_env == "P"


def test_no_login_by_default(tmp_path: Path) -> None:
    board = load(tmp_path, "")
    assert board.login_user_env is None and board.login_password_env is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('login_user_env = "U"\n', "boards.press.login_password_env: required with login_user_env"),
        (
            'login_password_env = "P"\n',
            "boards.press.login_user_env: required with login_password_env",
        ),
        (
            'login_user_env = "U"\nlogin_password_env = "my secret"\n',
            "boards.press.login_password_env: expected the name of an environment variable",
        ),
        (
            'login_user_env = "1U"\nlogin_password_env = "P"\n',
            "boards.press.login_user_env: expected the name of an environment variable",
        ),
        (
            'login_user_env = 3\nlogin_password_env = "P"\n',
            "boards.press.login_user_env: expected a string",
        ),
    ],
)
def test_errors_name_the_key(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, extra)
    assert message in str(exc.value)


def test_a_bad_name_and_a_missing_partner_are_both_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, 'login_user_env = "1U"\n')
    assert [line.split(": ", 1)[1] for line in exc.value.lines] == [
        "boards.press.login_user_env: expected the name of an environment variable "
        "(letters, digits, _), got '1U'",
        "boards.press.login_password_env: required with login_user_env",
    ]
