"""Offline grammar sends nothing anywhere; the optional LanguageTool adapter is tested against a
server on loopback that answers in LanguageTool's
documented /v2 response format (https://languagetool.org/http-api/)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from conftest import run

from pipeline.config import load_settings
from pipeline.lint import lint_text


class _LanguageTool(BaseHTTPRequestHandler):
    received: list[dict] = []

    def log_message(self, *args):
        pass

    def _send(self, body) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        assert self.path.startswith("/v2/languages")
        self._send([{"name": "English (GB)", "code": "en", "longCode": "en-GB"},
                    {"name": "English (US)", "code": "en", "longCode": "en-US"}])

    def do_POST(self):
        assert self.path.startswith("/v2/check")
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        text = form["text"][0]
        _LanguageTool.received.append({"language": form["language"][0], "text": text})
        matches = []
        for word, rule, category, issue, message, fix in (
            ("recieve", "MORFOLOGIK_RULE_EN_GB", "TYPOS", "misspelling", "Possible spelling mistake found.", "receive"),
            ("a apple", "EN_A_VS_AN", "MISC", "grammar", "Use 'an' instead of 'a'.", "an apple"),
            ("Jamie", "MORFOLOGIK_RULE_EN_GB", "TYPOS", "misspelling", "Possible spelling mistake found.", "Jam"),
        ):
            at = text.find(word)
            if at >= 0:
                matches.append({
                    "message": message, "shortMessage": "", "offset": at, "length": len(word),
                    "replacements": [{"value": fix}], "context": {"text": text, "offset": at, "length": len(word)},
                    "sentence": text, "type": {"typeName": "Other"},
                    "rule": {"id": rule, "description": message, "issueType": issue,
                             "category": {"id": category, "name": category}},
                    "ignoreForIncompleteSentence": False, "contextForSureMatch": 0,
                })
        self._send({"software": {"name": "LanguageTool", "version": "6.4", "apiVersion": 1},
                    "language": {"name": "English (GB)", "code": "en-GB"}, "matches": matches})


@pytest.fixture
def server():
    httpd = HTTPServer(("127.0.0.1", 0), _LanguageTool)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _LanguageTool.received.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_matches_become_findings_at_source_positions(server, tmp_path):
    (tmp_path / ".confpack.toml").write_text(f'languagetool_url = "{server}"\n', encoding="utf-8")
    settings = load_settings(str(tmp_path / ".confpack.toml"))
    source = "---\npeople:\n  - id: jamie\n    name: Jamie Taylor\n---\n# Visit\n\n- You will recieve a apple.\n"
    r = lint_text(source, settings, "r.md")
    spelling = [f for f in r.findings if f.rule == "spelling.languagetool"]
    grammar = [f for f in r.findings if f.rule == "grammar.languagetool"]
    assert [(f.match, f.line, f.column, f.suggestions) for f in spelling] == [("recieve", 8, 12, ["receive"])]
    assert [(f.match, f.line, f.column) for f in grammar] == [("a apple", 8, 20)]
    assert "EN_A_VS_AN" in grammar[0].message
    assert _LanguageTool.received[0]["language"] == "en-GB"
    assert not r.notes


def test_names_from_front_matter_are_not_spelling_mistakes(server, tmp_path):
    (tmp_path / ".confpack.toml").write_text(f'languagetool_url = "{server}"\n', encoding="utf-8")
    settings = load_settings(str(tmp_path / ".confpack.toml"))
    r = lint_text("---\nchildren:\n  - id: jamie\n    name: Jamie Taylor\n---\nJamie is happy.\n", settings)
    assert [f for f in r.findings if f.rule.startswith("spelling")] == []


def test_environment_variable_names_the_server_for_the_cli(server, write):
    import os

    path = write("r.md", "You will recieve it.\n")
    env = dict(os.environ, CONFPACK_LANGUAGETOOL_URL=server)
    res = run("lint", str(path), "--format", "json", env=env)
    rules = [f["rule"] for f in json.loads(res.stdout)["files"][0]["findings"]]
    assert "spelling.languagetool" in rules
    assert "not checked" not in res.stderr


def test_unreachable_server_is_a_note_not_a_crash(tmp_path):
    (tmp_path / ".confpack.toml").write_text('languagetool_url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    r = lint_text("You came.\n", load_settings(tmp_path / ".confpack.toml"))
    assert any("did not answer" in n for n in r.notes)


def test_nothing_is_sent_anywhere_by_default(monkeypatch):
    import os
    import socket

    settings = load_settings()
    assert settings.languagetool_url is None or "CONFPACK_LANGUAGETOOL_URL" in os.environ
    assert settings.languagetool_public is False

    def refuse(*args):
        raise AssertionError(f"confpack tried to connect to {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    r = lint_text("You was late. I recieved it.\n", settings)
    assert sorted(f.rule for f in r.findings if f.rule.startswith(("grammar", "spelling"))) == [
        "grammar.agreement", "spelling.unknown-word"]
    assert not r.notes
