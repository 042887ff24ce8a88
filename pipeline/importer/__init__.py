"""``confpack import``: Word reports (.docx, read by pandoc) become confpack Markdown."""
from .changes import Change, UnresolvedChanges
from .word import ImportResult, import_docx, import_docx_bytes

__all__ = ["Change", "ImportResult", "UnresolvedChanges", "import_docx", "import_docx_bytes"]
