"""``confpack serve``: a local editor page with live lint, each recipient's preview, Word
import and downloads (the page is in ``static/``; its source in ``tools/editor/``)."""
from .app import DEFAULT_HOST, DEFAULT_PORT, create_app
from .server import serve

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "create_app", "serve"]
