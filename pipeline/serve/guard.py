"""The server's guard, in front of every request (an ASGI middleware), as Jupyter guards
its notebooks: the Host header must name this server (against DNS rebinding), an Origin
must be this server's, every ``/api/`` call must carry the per-start token in
``X-Confpack-Token`` and the page must be opened with ``?token=``; bodies are limited in
size; every answer carries strict security headers and no CORS headers."""
from __future__ import annotations

import json
import secrets
from urllib.parse import parse_qs

MAX_BODY = 10_000_000
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
       "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
           (b"cross-origin-resource-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin"),
           (b"cache-control", b"no-store")]
TOKEN_HEADER = "x-confpack-token"


class TooLarge(Exception):
    """The request body is over the limit."""


class Guard:
    """Refuses (403) a foreign Host or Origin and a missing or wrong token, (413) a body over
    ``max_body`` bytes; adds the security headers to every answer."""

    def __init__(self, app, token: str, hosts: set[str], max_body: int = MAX_BODY):
        self.app, self.token, self.hosts, self.max_body = app, token, hosts, max_body
        self.origins = {f"http://{host}" for host in hosts}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await send({"type": "websocket.close", "code": 1008})
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path = scope["path"]
        api = path.startswith("/api/")
        problem = self.refusal(headers, path, scope["query_string"].decode("latin-1"))
        if problem:
            await _answer(send, 403, problem, api)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            await _answer(send, 413, f"the request is over {self.max_body // 1_000_000} MB", api)
            return
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise TooLarge
            return message

        async def secured_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in names)]
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except TooLarge:
            if started:
                raise
            await _answer(send, 413, f"the request is over {self.max_body // 1_000_000} MB", api)

    def refusal(self, headers: dict[str, str], path: str, query: str) -> str | None:
        """Why this request is refused, or None."""
        if headers.get("host", "").lower() not in self.hosts:
            return "this server answers only to its own address (the one 'confpack serve' printed)"
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins:
            return "requests from other sites are refused"
        if path.startswith("/api/"):
            given = headers.get(TOKEN_HEADER, "")
        elif path == "/":
            given = (parse_qs(query).get("token") or [""])[0]
        else:
            return None
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            return "wrong or missing key: open the address that 'confpack serve' printed, with its ?token="
        return None


async def _answer(send, status: int, message: str, api: bool) -> None:
    if api:
        body, kind = json.dumps({"error": {"line": None, "message": message}}).encode(), b"application/json"
    else:
        body, kind = f"confpack serve: {message}\n".encode(), b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
