"""The web app behind ``confpack serve`` (Starlette): the editor page with its token and
title filled in, its two static files, and the API calls of :mod:`.api`, all behind the
:class:`.guard.Guard`."""
from __future__ import annotations

import logging
import re
import socket
from contextlib import asynccontextmanager
from html import escape
from pathlib import Path
from urllib.parse import quote

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..config import Settings
from .api import Api, BadRequest, Workspace
from .guard import Guard

STATIC = Path(__file__).with_name("static")
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8765
WILDCARDS = ("0.0.0.0", "::", "")
_FILES = {"/static/editor.js": ("editor.js", "text/javascript; charset=utf-8"),
          "/static/style.css": ("style.css", "text/css; charset=utf-8")}
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,}")
log = logging.getLogger("confpack.serve")


def create_app(root: Path | None, settings: Settings, token: str, *, host: str = DEFAULT_HOST,
               port: int = DEFAULT_PORT, workspace: Workspace | None = None) -> Starlette:
    """The app for one server start: ``root`` is the project folder named on the command
    line (or None), ``settings`` are loaded once for the whole run, ``token`` is this start's
    secret; ``host`` and ``port`` are where it listens (the Host header must name them).
    Without a ``workspace``, the app makes its own and removes it when it stops."""
    if not _TOKEN.fullmatch(token):
        raise ValueError("the token must be at least 16 URL-safe characters (secrets.token_urlsafe)")
    space = workspace or Workspace(root)
    api = Api(settings, space)
    api.warm_up()
    title = f"confpack: {root.name}" if root else "confpack editor"
    page = (STATIC / "index.html").read_text(encoding="utf-8").replace("__TOKEN__", token).replace(
        "__TITLE__", escape(title))
    files = {path: ((STATIC / name).read_bytes(), kind) for path, (name, kind) in _FILES.items()}

    async def index(request: Request) -> Response:
        return HTMLResponse(page)

    async def static(request: Request) -> Response:
        body, kind = files[request.url.path]
        return Response(body, media_type=kind)

    async def import_file(request: Request) -> Response:
        try:
            name, data = _upload(await request.body(), request.headers.get("content-type", ""))
        except BadRequest as exc:
            return _refused(400, str(exc))
        return await _call(api.import_file, name, data)

    async def download(request: Request) -> Response:
        answer = await _call_json(request, api.download)
        if isinstance(answer, Response):
            return answer
        status, result = answer
        if status != 200:
            return JSONResponse(result, status)
        data, name, kind = result
        return Response(data, media_type=kind, headers={
            "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"})

    def json_route(handler):
        async def endpoint(request: Request) -> Response:
            answer = await _call_json(request, handler)
            return answer if isinstance(answer, Response) else JSONResponse(answer)
        return endpoint

    @asynccontextmanager
    async def lifespan(app):
        yield
        if workspace is None:
            space.close()

    routes = [Route("/", index, methods=["GET", "HEAD"]),
              *(Route(path, static, methods=["GET", "HEAD"]) for path in files),
              Route("/api/lint", json_route(api.lint), methods=["POST"]),
              Route("/api/recipients", json_route(api.recipients), methods=["POST"]),
              Route("/api/preview", json_route(api.preview), methods=["POST"]),
              Route("/api/import", import_file, methods=["POST"]),
              Route("/api/download", download, methods=["POST"])]
    app = Starlette(routes=routes, lifespan=lifespan,
                    middleware=[Middleware(Guard, token=token, hosts=allowed_hosts(host, port))])
    app.state.workspace = space
    return app


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host headers this server answers to: 127.0.0.1, localhost and the host it is bound
    to (for a wildcard address, this machine's names and addresses too), with the port."""
    names = {"127.0.0.1", "localhost", host}
    if host in WILDCARDS:
        names |= {socket.gethostname(), socket.getfqdn()}
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
        except OSError:
            pass
    return {(f"[{n}]:{port}" if ":" in n else f"{n}:{port}").lower() for n in names if n not in WILDCARDS}


async def _call_json(request: Request, handler):
    """The handler's answer to the request's JSON body, or a refusal Response."""
    try:
        body = await request.json()
    except ValueError:
        return _refused(400, "the request body must be JSON")
    if not isinstance(body, dict):
        return _refused(400, "the request body must be a JSON object")
    return await _call(handler, body, raw=True)


async def _call(handler, *args, raw: bool = False):
    """Run a handler in a worker thread: its answer (as JSON unless ``raw``), 400 for a
    malformed request, 500 (logged) for anything unexpected."""
    try:
        answer = await run_in_threadpool(handler, *args)
    except BadRequest as exc:
        return _refused(400, str(exc))
    except Exception as exc:
        log.exception("confpack serve: unexpected error")
        return _refused(500, f"confpack could not do that ({type(exc).__name__}); see the server's output")
    return answer if raw else JSONResponse(answer)


def _refused(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"line": None, "message": message}}, status)


def _upload(body: bytes, content_type: str) -> tuple[str, bytes]:
    """The name and bytes of the multipart field ``file``, read in memory (nothing is spooled to disk)."""
    kind, params = parse_options_header(content_type)
    if kind != b"multipart/form-data" or b"boundary" not in params:
        raise BadRequest("send the file as multipart/form-data with a field named 'file'")
    parts: list[dict] = []
    part: dict = {}

    def begin() -> None:
        part.clear()
        part.update(headers={}, field=b"", value=b"", data=bytearray())

    def header_end() -> None:
        part["headers"][part["field"].lower()] = part["value"]
        part["field"] = part["value"] = b""

    callbacks = {
        "on_part_begin": begin,
        "on_header_field": lambda data, start, end: part.update(field=part["field"] + data[start:end]),
        "on_header_value": lambda data, start, end: part.update(value=part["value"] + data[start:end]),
        "on_header_end": header_end,
        "on_part_data": lambda data, start, end: part["data"].extend(data[start:end]),
        "on_part_end": lambda: parts.append(dict(part)),
    }
    parser = MultipartParser(params[b"boundary"], callbacks)
    try:
        parser.write(body)
        parser.finalize()
    except Exception:
        raise BadRequest("the upload could not be read as multipart/form-data") from None
    for found in parts:
        _, disposition = parse_options_header(found["headers"].get(b"content-disposition", b""))
        if disposition.get(b"name") == b"file" and b"filename" in disposition:
            return disposition[b"filename"].decode("utf-8", "replace"), bytes(found["data"])
    raise BadRequest("no file in the upload (the field must be named 'file')")
