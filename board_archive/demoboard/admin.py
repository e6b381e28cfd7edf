"""The demo server's JSON admin API, so another process can change the board while it runs.

Only served when the server was made with ``admin=True``. Routes:

- ``GET /_admin/state``: board summary, request counts and every post (``?posts=0`` leaves the
  posts out). ``GET /_admin/posts/N``: one post (deleted ones too), as JSON.
- ``POST /_admin/<action>`` with a JSON object of keyword arguments, for the actions in
  ``ACTIONS`` (the ``Board`` methods of the same names): ``add_post``, ``edit_post``,
  ``delete_post``, ``restore_post``, ``set_secret``, ``set_notice``, ``bump_views``,
  ``add_comment``, ``edit_comment``, ``delete_comment``, ``add_attachment``,
  ``replace_attachment``, ``remove_attachment``; and ``set_clock`` (``{"now": iso}`` or
  ``{"advance_seconds": n}``, only with a ``SettableClock``). Datetimes are ISO 8601 strings;
  file contents are ``content_b64`` (base64) or ``content`` (text, UTF-8).

Answers are ``{"ok": true, "result": …}`` or ``{"ok": false, "error": …}`` with 404 for an
unknown post/comment and 400 for bad arguments. ``AdminClient`` calls the API with urllib.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from board_archive.demoboard.clock import SettableClock
from board_archive.demoboard.content import (
    Attachment,
    Board,
    Comment,
    NoSuchComment,
    NoSuchPost,
    Post,
)

if TYPE_CHECKING:
    from board_archive.demoboard.server import DemoServer

ACTIONS = (
    "add_post",
    "edit_post",
    "delete_post",
    "restore_post",
    "set_secret",
    "set_notice",
    "bump_views",
    "add_comment",
    "edit_comment",
    "delete_comment",
    "add_attachment",
    "replace_attachment",
    "remove_attachment",
)


def post_json(post: Post) -> dict[str, Any]:
    return {
        "wr_id": post.wr_id,
        "title": post.title,
        "author": post.author,
        "posted_at": post.posted_at.isoformat(),
        "body_html": post.body_html,
        "category": post.category,
        "views": post.views,
        "notice": post.notice,
        "secret": post.secret,
        "deleted": post.deleted,
        "attachments": [_attachment_json(a) for a in post.attachments],
        "comments": [_comment_json(c) for c in post.comments],
    }


def _attachment_json(a: Attachment) -> dict[str, Any]:
    return {
        "no": a.no,
        "name": a.name,
        "description": a.description,
        "size": a.nbytes,
        "downloads": a.downloads,
        "uploaded_at": a.uploaded_at.isoformat() if a.uploaded_at else None,
    }


def _comment_json(c: Comment) -> dict[str, Any]:
    return {
        "comment_id": c.comment_id,
        "author": c.author,
        "posted_at": c.posted_at.isoformat(),
        "text": c.text,
        "secret": c.secret,
    }


def state_json(server: DemoServer, *, with_posts: bool = True) -> dict[str, Any]:
    board = server.board
    out: dict[str, Any] = {
        "bo_table": board.bo_table,
        "subject": board.subject,
        "now": board.now().isoformat(),
        "total": board.total,
        "next_id": board.next_id,
        "notices": board.notice_ids(),
        "list_url": server.list_url,
        "skin": server.skin,
        "counts": server.counts,
    }
    if with_posts:
        out["posts"] = [post_json(p) for p in board.posts(include_deleted=True)]
    return out


def handle(server: DemoServer, method: str, path: str, data: bytes) -> tuple[int, str]:
    """Answer one admin request: (HTTP status, JSON text)."""
    try:
        status, result = _dispatch(server, method, path, data)
    except (NoSuchPost, NoSuchComment) as exc:
        status, result = 404, {"ok": False, "error": f"{type(exc).__name__}: {exc.args[0]}"}
    except (KeyError, TypeError, ValueError) as exc:
        status, result = 400, {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return status, json.dumps(result, ensure_ascii=False)


def _dispatch(
    server: DemoServer, method: str, path: str, data: bytes
) -> tuple[int, dict[str, Any]]:
    parts = urlsplit(path)
    name = parts.path.removeprefix("/_admin").strip("/")
    if method == "GET":
        if name == "state":
            flag = parse_qs(parts.query).get("posts", ["1"])[0]
            return 200, {"ok": True, "result": state_json(server, with_posts=flag != "0")}
        if name.startswith("posts/"):
            post = server.board.get(int(name.removeprefix("posts/")))
            if post is None:
                raise NoSuchPost(name.removeprefix("posts/"))
            return 200, {"ok": True, "result": post_json(post)}
        return 404, {"ok": False, "error": f"unknown admin resource {name!r}"}
    args = json.loads(data.decode("utf-8") or "{}") if data else {}
    if not isinstance(args, dict):
        raise ValueError("the request body must be a JSON object")
    if name == "set_clock":
        return 200, {"ok": True, "result": _set_clock(server.board, args)}
    if name not in ACTIONS:
        return 404, {"ok": False, "error": f"unknown admin action {name!r}"}
    result = getattr(server.board, name)(**_convert(args))
    return 200, {"ok": True, "result": result}


def _convert(args: dict[str, Any]) -> dict[str, Any]:
    out = dict(args)
    if isinstance(out.get("posted_at"), str):
        out["posted_at"] = datetime.fromisoformat(out["posted_at"])
    if "content_b64" in out:
        out["content"] = base64.b64decode(out.pop("content_b64"))
    elif isinstance(out.get("content"), str):
        out["content"] = out["content"].encode("utf-8")
    if "attachments" in out:
        out["attachments"] = [
            Attachment(
                name=a["name"],
                content=base64.b64decode(a["content_b64"])
                if "content_b64" in a
                else str(a.get("content", "")).encode("utf-8"),
                description=a.get("description", ""),
            )
            for a in out["attachments"]
        ]
    return out


def _set_clock(board: Board, args: dict[str, Any]) -> str:
    clock = board.clock
    if not isinstance(clock, SettableClock):
        raise ValueError("the board's clock is not a SettableClock")
    if "now" in args:
        clock.set(datetime.fromisoformat(args["now"]))
    if "advance_seconds" in args:
        clock.advance(seconds=float(args["advance_seconds"]))
    return board.now().isoformat()


class AdminClient:
    """Calls a demo server's admin API: ``AdminClient(url).call("edit_post", wr_id=5, ...)``."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def call(self, action: str, **kwargs: Any) -> Any:
        if isinstance(kwargs.get("content"), bytes):
            kwargs["content_b64"] = base64.b64encode(kwargs.pop("content")).decode("ascii")
        body = json.dumps(kwargs, ensure_ascii=False, default=_default).encode("utf-8")
        req = urllib.request.Request(
            f"{self.base_url}/_admin/{action}",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        return self._send(req)

    def state(self, *, posts: bool = True) -> Any:
        url = f"{self.base_url}/_admin/state" + ("" if posts else "?posts=0")
        return self._send(urllib.request.Request(url))

    def post(self, wr_id: int) -> Any:
        return self._send(urllib.request.Request(f"{self.base_url}/_admin/posts/{wr_id}"))

    def _send(self, req: urllib.request.Request) -> Any:
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                payload = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            payload = json.loads(exc.read().decode("utf-8") or "{}")
            exc.close()
            raise AdminError(exc.code, payload.get("error", "")) from None
        return payload["result"]


class AdminError(RuntimeError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


def _default(value: object) -> str | dict[str, str]:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Attachment):
        return {
            "name": value.name,
            "description": value.description,
            "content_b64": base64.b64encode(value.data()).decode("ascii"),
        }
    raise TypeError(f"cannot send {type(value).__name__} as JSON")
