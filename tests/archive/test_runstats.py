"""The crawl's counter names: stored as they always were, read back typed."""

from __future__ import annotations

from archive.runstats import ERRORS, RunStats, Stat

#: The keys runs have stored since the first release: renaming one would read old runs as 0.
STORED = {
    "board_archive/list_pages",
    "board_archive/list_rows",
    "board_archive/page1_rows",
    "board_archive/list_errors",
    "board_archive/views_new",
    "board_archive/views_row_changed",
    "board_archive/views_due",
    "board_archive/views_missing_from_list",
    "board_archive/posts",
    "board_archive/secret_posts",
    "board_archive/not_found",
    "board_archive/view_parse_errors",
    "board_archive/view_fetch_errors",
    "board_archive/files_downloaded",
    "board_archive/file_bytes",
    "board_archive/files_skipped",
    "board_archive/files_refused",
    "board_archive/files_failed",
    "board_archive/blobs_new",
    "board_archive/blob_bytes_new",
    "board_archive/blob_errors",
}

#: Keys added since, each with the release of the archive that first stored it.
ADDED = {
    "board_archive/list_claimed",  # the post count the board claims (issue 13)
    "board_archive/listed_posts",  # posts a complete walk of the list reached (issue 13)
    "board_archive/warc_records",  # the WARC records of the fetches (issue 15)
    "board_archive/warc_revisits",
    "board_archive/warc_bytes",
    "board_archive/warc_errors",
    "board_archive/posts_no_author",  # posts read without an author (issue 13: health)
    "board_archive/posts_no_time",
    "board_archive/body_doubted",  # #bo_v_con held little of what differs (issue 13: health)
}


def test_the_stored_keys_are_the_ones_runs_have_always_stored() -> None:
    assert {stat.key for stat in Stat} == STORED | ADDED
    assert all(type(stat.key) is str for stat in Stat)  # plain strings in Scrapy's stats dump


def test_a_stored_mapping_is_read_by_counter() -> None:
    stats = RunStats.of(
        {
            "board_archive/posts": 12,
            "board_archive/page1_rows": 15.0,
            "board_archive/list_errors": 1,
            "board_archive/view_fetch_errors": 2,
            "board_archive/not_found": "3",  # not a number: 0
            "downloader/response_count": 40,
        }
    )
    assert (stats[Stat.POSTS], stats[Stat.PAGE1_ROWS], stats[Stat.NOT_FOUND]) == (12, 15, 0)
    assert stats[Stat.SECRET_POSTS] == 0  # never counted
    assert stats.total(ERRORS) == 3
    assert RunStats.of(None)[Stat.POSTS] == 0
