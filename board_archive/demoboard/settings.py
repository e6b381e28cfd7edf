"""The board and site settings the demo board's pages follow (GnuBoard's admin settings).

GnuBoard keeps these per board (``bo_*``) or per site (``cf_*``); the demo board has one value
each, whatever the skin, since the engine applies them before a skin prints anything.
"""

from __future__ import annotations

SUBJECT_LEN = 60  # bo_subject_len: list titles are cut after this many characters
NEW_HOURS = 24  # bo_new: the "N" badge
HOT_VIEWS = 100  # bo_hot: the heart icon
WRITE_PAGES = 10  # cf_write_pages: page links per block
IMAGE_EXTENSIONS = ("gif", "jpg", "jpeg", "png")  # cf_image_extension: files shown as pictures
