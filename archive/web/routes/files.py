"""An archived file out of the blob store: ``/files/{sha256}`` (``?file=ID`` names it as that
``version_files`` row). See :mod:`archive.web.files` for the rules."""

from __future__ import annotations

import itertools
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from starlette.responses import Response, StreamingResponse

from archive.blobs import BlobError, BlobStore
from archive.models import Blob
from archive.web.deps import SessionDep
from archive.web.files import FILE_CSP, blob_name, content_disposition, sniff_image, verified

router = APIRouter(include_in_schema=False)

Sha256 = Annotated[str, Path(pattern="^[0-9a-f]{64}$", description="The file's SHA-256")]


@router.get("/files/{sha256}", name="file")
def file(
    request: Request,
    sha256: Sha256,
    s: SessionDep,
    file_id: Annotated[int | None, Query(alias="file", ge=1)] = None,
) -> Response:
    blob = s.get(Blob, sha256)
    name = blob_name(s, sha256, file_id) if blob is not None else None
    if blob is None or name is None:
        raise HTTPException(404, f"no archived file {sha256}")
    s.close()  # the database is done with: a long download holds no connection
    store: BlobStore | None = request.app.state.blobs
    if store is None:
        raise HTTPException(404, "this server has no blob store (set [archive] blob_dir)")
    chunks = store.read(sha256)
    try:
        head = next(chunks, b"")
        ahead = next(chunks, None)  # a file of one chunk is read, and checked, before answering
    except BlobError as exc:
        missing = not store.exists(sha256)
        raise HTTPException(404 if missing else 500, str(exc)) from None
    media_type = sniff_image(head)
    headers = {
        "Content-Disposition": content_disposition(name, inline=media_type is not None),
        "Content-Security-Policy": FILE_CSP,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=31536000, immutable",  # the hash is the content
    }
    media_type = media_type or "application/octet-stream"
    if ahead is None:
        return Response(head, media_type=media_type, headers=headers)
    headers["Content-Length"] = str(blob.size)
    body = verified(head, itertools.chain([ahead], chunks))
    return StreamingResponse(body, media_type=media_type, headers=headers)
