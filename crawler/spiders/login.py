"""Member login before the crawl: the routing half of ``BoardSpider`` for members-only boards.

When the board names ``login_user_env`` and ``login_password_env``, the first request of the
run is the login (``crawler.pages.login``): a POST to ``bbs/login_check.php`` in the spider's
one cookie session, so every later request (list and view pages, downloads) is made as the
member. Only when the site accepted it does list page 1 follow. A missing variable, a refused
login or a network error fails the run: ``failure`` (the run's message) names the user and the
login URL and says why, never the password.

The password is read from the environment when the request is made and lives only in that
request's body: it is no attribute of the spider, no setting, no request meta and no stat, so
it reaches neither the log nor the run record (``crawl_runs.stats``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from archive.config import BoardConfig
from crawler.pages.encoding import decode_page
from crawler.pages.login import login_check_url, login_form, parse_login

logger = logging.getLogger(__name__)
LOGIN_PRIORITY = 100


class MemberLogin:
    """Mixed into ``BoardSpider`` (which provides ``board``, ``failure`` and ``_list_request``)."""

    board: BoardConfig
    failure: str | None

    def _list_request(self, page: int) -> scrapy.Request:
        raise NotImplementedError

    @property
    def needs_login(self) -> bool:
        return bool(self.board.login_user_env)

    def login_user(self) -> str | None:
        return os.environ.get(self.board.login_user_env or "") or None

    def login_requests(self) -> Iterator[scrapy.Request]:
        """The login request, or none when the credentials are missing (the run then fails)."""
        user_env, password_env = self.board.login_user_env, self.board.login_password_env
        assert user_env and password_env
        user, password = os.environ.get(user_env), os.environ.get(password_env)
        unset = [
            f"{name} ({key})"
            for name, key, value in (
                (user_env, "login_user_env", user),
                (password_env, "login_password_env", password),
            )
            if not value
        ]
        if unset or not user or not password:
            self.failure = f"login not tried: environment variable {' and '.join(unset)} not set"
            logger.error("%s", self.failure)
            return
        url = login_check_url(self.board.url)
        logger.info("logging in to %s as %r", url, user)
        yield scrapy.FormRequest(
            url,
            formdata=login_form(user, password, self.board.url),
            callback=self.after_login,
            errback=self.on_login_error,
            meta={"dont_redirect": True, "handle_httpstatus_list": [301, 302, 303, 307]},
            dont_filter=True,
            priority=LOGIN_PRIORITY,
        )

    def after_login(self, response: Response) -> Iterator[scrapy.Request]:
        location = response.headers.get("Location")
        content_type = response.headers.get("Content-Type")
        _, html = decode_page(
            response.body, content_type.decode("latin-1") if content_type else None
        )
        answer = parse_login(
            response.status,
            location.decode("latin-1") if location else None,
            html,
            password=os.environ.get(self.board.login_password_env or "", ""),
        )
        if not answer.ok:
            self._login_failed(response.url, answer.reason or "refused")
        logger.info("logged in as %r", self.login_user())
        yield self._list_request(1)

    def on_login_error(self, failure: Failure) -> None:
        url = failure.request.url  # type: ignore[attr-defined]
        self._login_failed(url, failure.getErrorMessage() or failure.type.__name__)  # type: ignore[union-attr]

    def _login_failed(self, url: str, reason: str) -> None:
        self.failure = f"login as {self.login_user()!r} at {url} failed: {reason}"
        logger.error("%s", self.failure)
        raise CloseSpider("login_failed")
