"""GnuBoard 5 pages read by what the engine keeps whatever the skin (pure; no I/O, no Scrapy).

The ``gnuboard5`` module reads the basic skin's selectors; this package reads a board on any
skin by the engine's invariants, using a skin's selectors only where they are known and match:

- ``readings``: the typed results: every field a ``Reading`` saying where it came from (skin
  selector, engine invariant, text shape, comparison of pages, or not found), times as
  ``ShownTime`` with their precision (a year is never guessed silently);
- ``times``: dates and times in the shapes GnuBoard skins print them;
- ``links``: the engine's URLs (row links, ``page=N``, ``download.php``, ``view_image.php``,
  comment links, short URLs);
- ``rows``, ``row_fields``, ``row_title`` and ``listing``: a list page (rows from their
  links, pagination, ``Total N건``);
- ``view``, ``view_info``, ``attachments``, ``comments``: a view page (title from
  ``<title>``, author from the ``sv_member`` markup, posted time, body, attachments, comments
  by their ``c_ID`` anchors);
- ``body``: the body container found by comparing view pages of one board;
- ``answers``: the engine's answers (secret, not found), as ``crawler.pages.gnuboard5`` tells
  them;
- ``items``: the readings as the archive's items (``ListPage``, ``Post``);
- ``nodes``: the element helpers they share.
"""
