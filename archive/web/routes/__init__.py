"""Routes, one module per page (and the JSON API)."""
