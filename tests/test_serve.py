"""`confpack serve`: the API through Starlette's TestClient (token, Host and Origin checks,
limits, headers, lint positions, previews, imports, downloads) and the real page in a real
browser (Playwright driving Debian's chromium, marked `browser`)."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import docx
import pytest
from conftest import ROOT, dedent
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from starlette.testclient import TestClient

from pipeline.config import load_settings
from pipeline.redact.audit import rows
from pipeline.render.jobs import docx_text
from pipeline.serve import create_app
from pipeline.serve.guard import CSP

TOKEN = "t0k3n-" + "x" * 40
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
KEY = {"X-Confpack-Token": TOKEN}
SECRET = "Your new flat is near Eastbrook Park."
PROS = "Police information for professionals only."
REPORT = dedent('''
    ---
    kind: agency-report
    conference: {type: initial, date: 2026-12-03, time: "10:00", venue: Eastbrook Family Centre, chair: Priya Shah}
    children:
      - {id: jamie, name: Jamie Taylor, dob: 2015-05-14}
    people:
      - id: mum
        name: Sam Taylor
        role: parent
        relationship: Mum to Jamie
        private:
          address: Flat 2, 14 Mill Lane, Eastbrook EB3 4QT
          withhold_from: [dad]
      - {id: dad, name: Dale Brennick, role: parent, relationship: Dad to Jamie}
    author: {name: Ruth Okafor, role: Teacher, agency: Eastbrook Academy}
    ---

    ## What is working well?

    Zoë told me we met at the ICPC in May. You read with Jamie every night.

    You moved on 26 October. [Your new flat is near Eastbrook Park.]{withhold="dad"}

    ::: {only="professionals"}
    Police information for professionals only.
    :::

    ## What are we worried about?

    Jamie is tired in class. A <script>alert(1)</script> tag is only text.

    ## What needs to happen?

    You will phone me each Friday.

    ## What you and your children told me

    > "I like football."

    ## What we can offer

    A weekly session with Leah Okoro.
    ''')
ICPC_LINE = REPORT.split("\n").index("Zoë told me we met at the ICPC in May. You read with Jamie every night.") + 1


@pytest.fixture(scope="module")
def settings():
    return load_settings(None)


@pytest.fixture
def client(settings):
    with TestClient(create_app(None, settings, TOKEN, port=PORT), base_url=BASE) as client:
        yield client


def post(client, path: str, body: dict, **headers):
    return client.post(path, json=body, headers={**KEY, **headers})


# -- (a) the API -----------------------------------------------------------------------------
def test_every_api_call_and_the_page_need_this_starts_token(client):
    for path in ("/api/lint", "/api/recipients", "/api/preview", "/api/download"):
        assert client.post(path, json={"text": REPORT}).status_code == 403, path
        refused = client.post(path, json={"text": REPORT}, headers={"X-Confpack-Token": TOKEN[:-1] + "y"})
        assert refused.status_code == 403 and "key" in refused.json()["error"]["message"], path
    assert client.post("/api/import", files={"file": ("a.md", b"# Hi\n")}).status_code == 403
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    page = client.get(f"/?token={TOKEN}")
    assert page.status_code == 200 and f'<meta name="confpack-token" content="{TOKEN}">' in page.text
    assert "__TOKEN__" not in page.text and "<title>confpack editor</title>" in page.text
    script = client.get("/static/editor.js")       # the page's own files need no token: they hold no data
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")


def test_foreign_host_and_origin_are_refused_against_dns_rebinding(client):
    assert client.get(f"/?token={TOKEN}", headers={"Host": "evil.example:8765"}).status_code == 403
    assert client.get(f"/?token={TOKEN}", headers={"Host": "127.0.0.1:9999"}).status_code == 403
    assert client.get(f"/?token={TOKEN}", headers={"Host": f"localhost:{PORT}"}).status_code == 200
    assert post(client, "/api/lint", {"text": "Hi"}, Host="attacker.example").status_code == 403
    assert post(client, "/api/lint", {"text": "Hi"}, Origin="http://evil.example").status_code == 403
    assert post(client, "/api/lint", {"text": "Hi"}, Origin=BASE).status_code == 200


def test_security_headers_and_no_cors_on_every_answer(client):
    for answer in (client.get(f"/?token={TOKEN}"), client.get("/static/editor.js"), client.get("/"),
                   post(client, "/api/lint", {"text": "Hi"})):
        h = answer.headers
        assert h["content-security-policy"] == CSP and "frame-ancestors 'none'" in CSP
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "no-referrer"
        assert not [k for k in h if k.lower().startswith("access-control-")]
    options = client.options("/api/lint", headers={"Origin": "http://evil.example",
                                                   "Access-Control-Request-Method": "POST"})
    assert options.status_code == 403 and "access-control-allow-origin" not in options.headers


def test_bodies_over_the_limit_are_refused(client):
    big = json.dumps({"text": "x" * 10_000_001})
    answer = client.post("/api/lint", content=big, headers={**KEY, "Content-Type": "application/json"})
    assert answer.status_code == 413
    upload = client.post("/api/import", files={"file": ("big.md", b"x" * 10_000_001)}, headers=KEY)
    assert upload.status_code == 413


def test_lint_finds_at_exact_character_positions(client, settings):
    data = post(client, "/api/lint", {"text": REPORT, "audience": None}).json()
    assert data["error"] is None
    line = REPORT.split("\n")[ICPC_LINE - 1]
    icpc = next(f for f in data["findings"] if f["rule"] == "jargon.acronym" and f["match"] == "ICPC")
    column = line.index("ICPC") + 1                    # counted in characters: "ë" is one
    assert (icpc["line"], icpc["column"], icpc["end_line"], icpc["end_column"]) == (ICPC_LINE, column, ICPC_LINE,
                                                                                    column + 4)
    assert icpc["severity"] == "warning" and icpc["suggestions"] == ["first child protection meeting"]
    assert set(icpc) == {"rule", "severity", "line", "column", "end_line", "end_column", "match", "message",
                         "suggestions", "link"}
    assert data["metrics"]["audience"] == "family" and data["metrics"]["reading_age_limit"] == 11
    assert set(data["metrics"]) >= {"reading_age", "second_person_ratio", "words"}
    child = post(client, "/api/lint", {"text": REPORT, "audience": "child"}).json()
    assert child["metrics"]["audience"] == "child" and child["metrics"]["reading_age_limit"] == 9


def test_lint_of_a_report_that_cannot_be_read_says_where(client):
    data = post(client, "/api/lint", {"text": "---\nkind: letterr\n---\n\nHi\n"}).json()
    assert data["findings"] == [] and data["metrics"] is None
    assert data["error"]["line"] == 2 and "did you mean 'letter'" in data["error"]["message"]
    assert post(client, "/api/lint", {"nope": 1}).status_code == 400
    assert client.post("/api/lint", content=b"not json", headers=KEY).status_code == 400


def test_recipients_are_the_people_children_professionals_and_chair(client):
    data = post(client, "/api/recipients", {"text": REPORT}).json()
    assert [r["id"] for r in data["recipients"]] == ["professionals", "mum", "dad", "jamie", "chair"]
    assert data["recipients"][2]["label"] == "Dale Brennick (dad)"


def test_preview_hides_withheld_text_and_shows_a_marked_gap(client):
    dad = post(client, "/api/preview", {"text": REPORT, "recipient": "dad"}).json()
    html = dad["html"]
    assert dad["error"] is None and SECRET not in html and "Eastbrook Park" not in html and PROS not in html
    assert '<span class="withheld">[withheld: withhold=&quot;dad&quot;' in html
    assert '<span class="withheld">[withheld: only=&quot;professionals&quot;' in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Copy for Dale Brennick" in html and "<blockquote>" in html
    mum = post(client, "/api/preview", {"text": REPORT, "recipient": "mum"}).json()["html"]
    assert SECRET in mum and PROS not in mum
    assert PROS in post(client, "/api/preview", {"text": REPORT, "recipient": "professionals"}).json()["html"]


def test_preview_refuses_a_copy_with_an_unmarked_private_detail(client):
    text = REPORT.replace("You read with Jamie every night.", "You live at 14 Mill Lane.")
    data = post(client, "/api/preview", {"text": text, "recipient": "dad"}).json()
    assert data["html"] is None and data["error"]["line"] == ICPC_LINE
    assert "Dale Brennick must not see it" in data["error"]["message"]
    unknown = post(client, "/api/preview", {"text": REPORT, "recipient": "gran"}).json()
    assert unknown["html"] is None and "not a person or child" in unknown["error"]["message"]


def test_download_is_a_verified_logged_docx_without_withheld_text(settings, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    app = create_app(project, settings, TOKEN, port=PORT)
    with TestClient(app, base_url=BASE) as client:
        answer = post(client, "/api/download", {"text": REPORT, "recipient": "dad", "format": "docx"})
        assert answer.status_code == 200
        assert answer.headers["content-disposition"] == (
            'attachment; filename="jamie-taylor_agency-report_eastbrook-academy_for-dad.docx"; '
            "filename*=UTF-8''jamie-taylor_agency-report_eastbrook-academy_for-dad.docx")
        saved = tmp_path / "dad.docx"
        saved.write_bytes(answer.content)
        opened = docx.Document(str(saved))
        assert any("You read with Jamie" in p.text for p in opened.paragraphs)
        text = docx_text(saved)
        assert "Eastbrook Park" not in text and PROS not in text and "[removed]" in text
        refused = post(client, "/api/download", {"text": REPORT.replace("every night.", "at 14 Mill Lane."),
                                                 "recipient": "dad", "format": "docx"})
        assert refused.status_code == 422 and refused.json()["error"]["line"] == ICPC_LINE
        nobody = post(client, "/api/download", {"text": REPORT, "recipient": None, "format": "docx"})
        assert nobody.status_code == 422 and "Recipient" in nobody.json()["error"]["message"]
    assert sorted(p.name for p in project.iterdir()) == ["distribution-log.sqlite"]   # nothing else written
    logged = rows(project / "distribution-log.sqlite")
    assert [r["recipient"] for r in logged] == ["dad"] and json.loads(logged[0]["withheld_by_rule"])["withhold"] == 1


def test_the_temporary_folder_is_removed_when_the_server_stops(settings):
    app = create_app(None, settings, TOKEN, port=PORT)
    space = app.state.workspace.path
    with TestClient(app, base_url=BASE) as client:
        assert post(client, "/api/download", {"text": REPORT, "recipient": "mum", "format": "docx"}).status_code == 200
        assert (space / "distribution-log.sqlite").is_file()      # no project folder: the log is temporary too
    assert not space.exists()


@pytest.mark.libreoffice
def test_download_pdf_through_libreoffice_is_checked_too(client):
    answer = post(client, "/api/download", {"text": REPORT, "recipient": "dad", "format": "pdf"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF") and 'for-dad.pdf"' in answer.headers["content-disposition"]


def test_serve_prints_an_address_with_a_new_token_and_removes_its_folder(tmp_path):
    code = ("from pipeline.config import load_settings; from pipeline.serve import serve; "
            "serve(None, load_settings(None), port=0, open_browser=False)")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "TMPDIR": str(tmp_path)})
    try:
        printed = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{43}\b", printed).group()
        with urllib.request.urlopen(url) as answer:
            assert answer.status == 200 and url.split("=")[1] in answer.read().decode()
        assert [p.name for p in tmp_path.iterdir()][0].startswith("confpack-serve-")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
    assert list(tmp_path.iterdir()) == [], "the temporary folder outlived the server"
    assert "Traceback" not in process.stderr.read()


def tracked_docx(path: Path) -> Path:
    """A Word report with a real tracked insertion and deletion (w:ins, w:del)."""
    d = docx.Document()
    d.add_heading("What is working well?", 1)
    p = d.add_paragraph("You read with Jamie ")
    w = nsdecls("w")
    p._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="Ruth Okafor" w:date="2026-11-20T10:00:00Z"><w:r>'
                          '<w:t xml:space="preserve">every night</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="Ruth Okafor" w:date="2026-11-20T10:00:00Z"><w:r>'
                          '<w:delText xml:space="preserve"> at the old flat</w:delText></w:r></w:del>'))
    d.save(str(path))
    return path


def test_import_lists_tracked_changes_and_opens_clean_files(client, tmp_path):
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    data = client.post("/api/import", headers=KEY, files={
        "file": ("school.docx", tracked_docx(tmp_path / "t.docx").read_bytes(), DOCX)}).json()
    assert data["text"] is None and data["error"]["message"].startswith(
        "this file has 1 tracked insertion and 1 tracked deletion (listed below)")
    assert data["changes"] == [{"kind": "insertion", "author": "Ruth Okafor", "text": "every night"},
                               {"kind": "deletion", "author": "Ruth Okafor", "text": "at the old flat"}]
    clean = docx.Document()
    clean.add_heading("What is working well?", 1)
    clean.add_paragraph("You read with Jamie every night.")
    clean.save(str(tmp_path / "c.docx"))
    data = client.post("/api/import", headers=KEY, files={"file": ("c.docx", (tmp_path / "c.docx").read_bytes())}).json()
    assert data["error"] is None and "## What is working well?\n\nYou read with Jamie every night." in data["text"]
    assert data["messages"] and data["changes"] == []
    md = client.post("/api/import", headers=KEY, files={"file": ("r.md", "\ufeff# Hi\r\nthere\r\n".encode())}).json()
    assert md == {"text": "# Hi\nthere\n", "messages": [], "changes": [], "error": None}
    other = client.post("/api/import", headers=KEY, files={"file": ("r.txt", b"hello")}).json()
    assert other["text"] is None and "is not a .docx or .md file" in other["error"]["message"]
    assert client.post("/api/import", headers=KEY, content=b"x").status_code == 400


# -- (b) the real page in a real browser ---------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = ROOT / "artefacts" / "serve"


@pytest.fixture(scope="module")
def server(settings, tmp_path_factory):
    """The real server (uvicorn) on a free port, in a thread."""
    import uvicorn

    from pipeline.serve.server import listen

    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    project = tmp_path_factory.mktemp("project")
    app = create_app(project, settings, TOKEN, port=port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/?token={TOKEN}", project
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield browser
        browser.close()


def shot(page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_the_page_lints_explains_fixes_previews_imports_and_downloads(server, browser, tmp_path):
    url, project = server
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(url)
    page.wait_for_function("() => window.confpackEditor !== undefined")

    # Paste a report and wait for its findings: the ICPC underline sits on "ICPC".
    page.evaluate("text => window.confpackEditor.setText(text)", REPORT)
    page.wait_for_function("() => document.body.dataset.lintState === 'done'")
    mark = page.locator(".cm-lintRange-warning", has_text="ICPC").first
    mark.wait_for()
    assert mark.inner_text() == "ICPC"
    line = page.locator(".cm-line").nth(ICPC_LINE - 1)
    assert "ICPC" in line.inner_text() and line.locator(".cm-lintRange-warning", has_text="ICPC").count() == 1
    assert int(page.locator("#findings").get_attribute("data-findings")) > 0
    shot(page, "01-findings")

    # The keyboard: F8 goes from finding to finding and shows each beside the text.
    page.locator(".cm-content").focus()
    page.keyboard.press("Control+Home")
    tip = page.locator(".cp-cursor-tip")
    for _ in range(40):
        page.keyboard.press("F8")
        if tip.count() and "ICPC" in tip.inner_text():
            break
    assert "first child protection meeting" in tip.inner_text()
    shot(page, "02-explanation")
    page.keyboard.press("Control+Shift+M")                    # the list of all findings
    page.locator(".cm-panel-lint").wait_for()
    page.keyboard.press("Escape")
    page.locator(".cm-content").focus()
    for _ in range(40):                                       # back to the ICPC finding, then apply its fix
        page.keyboard.press("F8")
        if tip.count() and "ICPC" in tip.inner_text():
            break
    page.keyboard.press("Control+.")
    page.wait_for_function("() => window.confpackEditor.getText().includes('the first child protection meeting in May')")
    page.wait_for_function("() => document.body.dataset.lintState === 'done'")

    # Another recipient's copy: the withheld words are gone, a marked gap shows where.
    page.wait_for_function("() => document.querySelectorAll('#recipient option').length > 2")
    page.select_option("#recipient", "dad")
    page.wait_for_function("() => document.body.dataset.previewState === 'done' && "
                           "document.querySelector('#preview-who').textContent.includes('Dale')")
    preview = page.locator("#preview").inner_text()
    assert "Eastbrook Park" not in preview and PROS not in preview and "[withheld: withhold=\"dad\"" in preview
    shot(page, "03-preview-dad")

    # Download the DOCX of dad's copy and open it.
    with page.expect_download() as caught:
        page.click("#download-docx")
    saved = tmp_path / caught.value.suggested_filename
    caught.value.save_as(saved)
    assert saved.name.endswith("_for-dad.docx")
    assert any("You read with Jamie" in p.text for p in docx.Document(str(saved)).paragraphs)
    assert "Eastbrook Park" not in docx_text(saved)
    assert (project / "distribution-log.sqlite").is_file()

    # Accessibility: no axe violations with findings, preview and import messages on screen.
    page.set_input_files("#file", str(tracked_docx(tmp_path / "tracked.docx")))
    page.locator("#import-list li", has_text="Tracked insertion by").wait_for()
    imported = page.locator("#import-list").inner_text()
    assert "Tracked insertion by Ruth Okafor" in imported and "every night" in imported
    assert "Tracked deletion by Ruth Okafor" in imported and "at the old flat" in imported
    assert "at the first child protection meeting" in page.evaluate("window.confpackEditor.getText()")  # not replaced
    shot(page, "04-import-tracked-changes")

    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert not errors, errors
    context.close()


@pytest.mark.browser
def test_the_page_opened_without_its_token_is_refused(server, browser):
    url, _ = server
    page = browser.new_page()
    answer = page.goto(url.split("?")[0])
    assert answer.status == 403 and "confpack serve" in page.inner_text("body")
    page.close()
