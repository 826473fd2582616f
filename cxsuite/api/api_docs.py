"""The API explorer at ``/schema/swagger``: Swagger UI from the ``swagger-ui-bundle`` package,
served by the app itself instead of a CDN, with no inline script.

Litestar's Swagger page loads its files from jsDelivr and starts Swagger UI with an inline
script that embeds the whole schema; a page like that needs ``'unsafe-inline'`` scripts. This
page loads the bundle, the preset and a small start-up script from ``/schema/assets/``, and
Swagger UI fetches the schema from ``/schema/openapi.json``, so the page works under the
HTML policy of :mod:`cxsuite.api.security_headers` (scripts from this origin only).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from litestar import Request, Response, Router, get
from litestar.exceptions import NotFoundException
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import FromPath
from litestar.response import File
from swagger_ui_bundle import swagger_ui_path

# The files the page needs, and nothing else of the package (its index.html and OAuth
# redirect page carry inline scripts).
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}
START = "swagger-start.js"
# No validator badge: by default Swagger UI sends the schema URL to validator.swagger.io.
START_SCRIPT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: document.getElementById("swagger-ui").dataset.spec,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  });
});
"""
CACHE = "public, max-age=86400"


@get("/assets/{name:str}", include_in_schema=False, exclude_from_auth=True, sync_to_thread=False)
def swagger_asset(name: FromPath[str]) -> Response[Any]:
    """One file of Swagger UI (a fixed list; anything else is 404)."""
    if name == START:
        return Response(START_SCRIPT, media_type="text/javascript", headers={"Cache-Control": CACHE})
    if name not in ASSETS:
        raise NotFoundException(f"no asset {name!r}")
    return File(Path(swagger_ui_path) / name, media_type=ASSETS[name], content_disposition_type="inline",
                headers={"Cache-Control": CACHE})


class LocalSwaggerUI(SwaggerRenderPlugin):
    """Swagger UI with local files, started by a script file rather than an inline one."""

    def __init__(self, schema_path: str = "/schema") -> None:
        self.assets = f"{schema_path}/assets"
        super().__init__(
            js_url=f"{self.assets}/swagger-ui-bundle.js", css_url=f"{self.assets}/swagger-ui.css",
            standalone_preset_js_url=f"{self.assets}/swagger-ui-standalone-preset.js",
            favicon=f"<link rel='icon' type='image/png' href='{self.assets}/favicon-32x32.png'>")
        self.spec_url = f"{schema_path}/openapi.json"

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        """The page: stylesheet, the two Swagger UI scripts and the start-up script."""
        title = html.escape(openapi_schema["info"]["title"])
        return (
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            f"{self.favicon}<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<link href='{self.css_url}' rel='stylesheet'></head><body>"
            f"<div id='swagger-ui' data-spec='{self.spec_url}'></div>"
            f"<script src='{self.js_url}'></script><script src='{self.standalone_preset_js_url}'></script>"
            f"<script src='{self.assets}/{START}'></script></body></html>").encode()

    def receive_router(self, router: Router) -> None:
        """Serve the assets beside the page (no OAuth2 redirect page: tokens are bearer tokens)."""
        router.register(swagger_asset)
