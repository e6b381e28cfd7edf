"""``/api/docs``: the OpenAPI document rendered on the server (no CDN, no script)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from archive.web.templating import render

router = APIRouter(include_in_schema=False)


def _schema_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list[{_schema_name(schema.get('items', {}))}]"
    if "anyOf" in schema:
        return " | ".join(_schema_name(s) for s in schema["anyOf"])
    return str(schema.get("type", "object"))


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    operations = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            ok = op.get("responses", {}).get("200", {})
            body = ok.get("content", {}).get("application/json", {}).get("schema", {})
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "type": _schema_name(p.get("schema", {})),
                            "description": p.get("description")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "returns": _schema_name(body),
                }
            )
    schemas = {
        name: {
            "fields": [
                {
                    "name": field,
                    "type": _schema_name(prop),
                    "description": prop.get("description", ""),
                }
                for field, prop in schema.get("properties", {}).items()
            ]
        }
        for name, schema in spec.get("components", {}).get("schemas", {}).items()
        if not name.startswith(("HTTPValidationError", "ValidationError"))
    }
    return render(
        request.app.state.templates,
        request,
        "api_docs.html",
        {
            "spec": spec,
            "spec_url": request.app.openapi_url,
            "operations": operations,
            "schemas": schemas,
        },
    )
