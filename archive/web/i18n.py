"""The UI's language: Korean by default (the people who read these boards), English on request.

A page's language is, in order: ``?lang=ko|en`` on the request (which the response also keeps in
a ``lang`` cookie for a year, so the choice follows the reader from page to page), the ``lang``
cookie, then :data:`DEFAULT`. The header's toggle links to the same page in the other language.

Templates are written in English and mark what they show with ``_()`` / ``ngettext()``
(Jinja2's i18n extension, new style: ``_('%(n)s secret', n=3)``). English is the message id; the
Korean text is :data:`archive.web.catalog_ko.KO`. A message with no Korean entry is shown in
English; ``tests/web/test_korean.py`` fails on any such message, in a template or in the
:func:`terms` Python hands to templates.

What is not translated: the data itself (titles, bodies, names), the run notes the crawler
recorded (the same lines the CLI prints), error details, and the API reference's field
descriptions, which are the OpenAPI document's own text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import Response

from archive.models import EventKind, FileStatus, PostState, RunHealth, RunMode, RunStatus
from archive.web.catalog_ko import KO
from archive.web.detail import FIELD_LABELS

LANGS = {"ko": "한국어", "en": "English"}
DEFAULT = "ko"
COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 3600

Gettext = Callable[[str], str]


def requested(request: Request) -> str | None:
    """The language asked for with ``?lang=`` (None when absent or not one of :data:`LANGS`)."""
    asked = request.query_params.get("lang")
    return asked if asked in LANGS else None


def language(request: Request) -> str:
    """The language of the page for this request."""
    cookie = request.cookies.get(COOKIE)
    return requested(request) or (cookie if cookie in LANGS else DEFAULT)


def keep_choice(request: Request, response: Response) -> None:
    """Remember a ``?lang=`` choice in the cookie."""
    asked = requested(request)
    if asked is not None and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_AGE, samesite="lax", httponly=True)


def translate(lang: str, message: str) -> str:
    return KO.get(message, message) if lang == "ko" else message


def translator(lang: str) -> Gettext:
    """``gettext`` for one language, for code that writes text outside a template."""
    return lambda message: translate(lang, message)


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translate(context.get("lang", DEFAULT), message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    # Korean nouns have no plural: one Korean text serves both English forms
    return translate(context.get("lang", DEFAULT), singular if n == 1 else plural)


def install(env: Environment) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]


def terms() -> Iterable[str]:
    """The messages Python hands templates to translate (``_(run.status.value)``)."""
    for enum in (PostState, RunStatus, RunMode, RunHealth, EventKind, FileStatus):
        yield from (member.value for member in enum)
    yield from FIELD_LABELS.values()
    yield from ("first", "edit")
