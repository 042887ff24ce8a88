"""Template checks: a council's rebranded .docx still has the placeholders its kind needs."""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..document.frontmatter import KINDS

_COUNCIL = {"council_name", "council_address", "council_phone", "council_email", "council_web"}
_HEADER = {"title", "child_names", "conference_type", "conference_date", "conference_time", "venue", "chair",
           "copy_for", "body"} | _COUNCIL
_REPORT = _HEADER | {"child_details", "author_name", "author_role", "author_agency", "written_by", "shared_date"}
_MEETING = _HEADER | {"child_details"}
_LETTER = _HEADER | {"author_name", "author_role", "author_agency", "recipient_name", "recipient_address",
                     "letter_date", "salutation"}
PLACEHOLDERS = {
    "agency-report": _REPORT, "social-work-report": _REPORT, "parent-report": _REPORT, "child-report": _REPORT,
    "agenda": _MEETING, "minutes": _MEETING, "plan": _MEETING, "letter": _LETTER, "child-letter": _LETTER,
    "invitation": _LETTER, "leaflet": _MEETING,
}
REQUIRED = {"title", "child_names", "conference_date", "body"}
REQUIRED_BY_KIND = {"child-letter": {"title", "salutation", "body"}}   # a child's letter is not a form


def check_template(path: Path, kind: str) -> list[str]:
    """Problems with a template, in plain words; empty when it is fine."""
    if kind not in KINDS:
        return [f"unknown kind '{kind}'; use one of {', '.join(KINDS)}"]
    if not path.is_file():
        return ["file not found"]
    if not zipfile.is_zipfile(path):
        return ["not a .docx file (it is not a Word document package); save it from Word as .docx"]
    from docxtpl import DocxTemplate

    try:
        used = set(DocxTemplate(str(path)).get_undeclared_template_variables())
    except Exception as exc:
        return [f"cannot be read as a template ({type(exc).__name__}: {str(exc)[:120]}); check for broken "
                "{{ }} tags"]
    allowed = PLACEHOLDERS[kind]
    problems = [f"unknown placeholder {{{{ {name} }}}}; allowed for {kind}: {', '.join(sorted(allowed))}"
                for name in sorted(used - allowed)]
    problems += [f"missing placeholder {{{{ {name} }}}}, which every {kind} needs"
                 for name in sorted(REQUIRED_BY_KIND.get(kind, REQUIRED) - used)]
    if "body" in used and not _body_alone(path):
        problems.append("{{ body }} must be alone in its own paragraph")
    return problems


def _body_alone(path: Path) -> bool:
    from docx import Document

    return any(p.text.strip() == "{{ body }}" for p in Document(str(path)).paragraphs)
