"""``confpack serve``: the editor on this machine only (127.0.0.1 unless another host is
named, with a warning), behind a new token each start, printed in the address to open
(and opened in the browser).  Everything it writes goes into one temporary folder that is
removed when it stops, except the distribution log, kept in the project folder if one
was named."""
from __future__ import annotations

import errno
import secrets
import socket
import sys
import tempfile
import webbrowser
from pathlib import Path

from ..config import Settings
from ..errors import InputError
from .api import Workspace
from .app import DEFAULT_HOST, DEFAULT_PORT, WILDCARDS, create_app

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def serve(root: Path | None, settings: Settings, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          open_browser: bool = True) -> None:
    """Run the editor until Ctrl+C.  ``root``: the project folder (a report file names its
    folder), or None; ``port`` 0 picks a free port."""
    import uvicorn

    if root is not None:
        root = root.resolve()
        if not root.exists():
            raise InputError("no such file or folder; name the folder that holds your reports", str(root))
        root = root if root.is_dir() else root.parent
    if host not in LOCAL_HOSTS:
        print(f"warning: listening on {host}: other machines that can reach it may try to connect (they still "
              "need the token). Family data should stay on this machine: use the default, 127.0.0.1, unless you "
              "must.", file=sys.stderr)
    sock = listen(host, port)
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(32)
    workspace = Workspace(root)
    before = tempfile.tempdir
    try:
        # LibreOffice profiles and anything else made with tempfile go inside the workspace too.
        tempfile.tempdir = str(workspace.path)
        app = create_app(root, settings, token, host=host, port=port, workspace=workspace)
        url = f"http://{address(host)}:{port}/?token={token}"
        print(f"confpack serve: open {url}\n(press Ctrl+C to stop; the address works only while this runs)",
              flush=True)
        if open_browser:
            webbrowser.open(url)
        config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
        try:
            uvicorn.Server(config).run(sockets=[sock])   # no access log: it would print the token
        except KeyboardInterrupt:    # uvicorn stops cleanly on Ctrl+C, then raises it again
            pass
        print("confpack serve: stopped", flush=True)
    finally:
        tempfile.tempdir = before
        sock.close()
        workspace.close()


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port) and listening, or an InputError saying what to change."""
    try:
        family = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except socket.gaierror:
        raise InputError(f"--host {host} is not an address of this machine; use 127.0.0.1") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} is in use (is another 'confpack serve' running?); choose another "
                             "with --port, or --port 0 for any free one") from None
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror}); try --host 127.0.0.1") from None
    sock.listen(64)
    return sock


def address(host: str) -> str:
    """The host as it goes in a URL (a wildcard becomes this machine's name)."""
    if host in WILDCARDS:
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host
