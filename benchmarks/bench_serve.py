"""`confpack serve` speed, through the real server (uvicorn, over HTTP on 127.0.0.1): lint of
a 5,000-word report from request to parsed JSON (median after warm-up), the preview of a
recipient's copy, and page load (the page and its two files over HTTP; and, with Debian's
chromium, in a real browser until the editor is ready).

Run: python benchmarks/bench_serve.py
"""
from __future__ import annotations

import json
import secrets
import sys
import threading
import time
import urllib.request
from pathlib import Path

import uvicorn

from pipeline.config import load_settings
from pipeline.lint import lint_text
from pipeline.serve import create_app
from pipeline.serve.server import listen

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workload import median_seconds, report_of  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    settings = load_settings()
    token = secrets.token_urlsafe(32)
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    start = time.perf_counter()
    app = create_app(None, settings, token, port=port)
    started = time.perf_counter() - start
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    base = f"http://127.0.0.1:{port}"
    text = report_of(5_000)

    def call(path: str, body: dict) -> dict:
        request = urllib.request.Request(base + path, json.dumps(body).encode(), method="POST", headers={
            "Content-Type": "application/json", "X-Confpack-Token": token})
        with urllib.request.urlopen(request) as answer:
            return json.loads(answer.read())

    def page() -> None:
        for path in (f"/?token={token}", "/static/editor.js", "/static/style.css"):
            with urllib.request.urlopen(base + path) as answer:
                answer.read()

    words = call("/api/lint", {"text": text, "audience": None})["metrics"]["words"]
    print(f"server start (settings loaded once, lint warmed up for every audience): {started:.2f} s")
    through = 1000 * median_seconds(lambda: call('/api/lint', {'text': text}), 15)
    alone = 1000 * median_seconds(lambda: lint_text(text, settings, "bench.md"), 15)
    print(f"lint {words:,} words, request to JSON: {through:.0f} ms median (target <= 150 ms); lint_text alone in "
          f"this process: {alone:.0f} ms")
    print(f"preview for a parent, request to JSON: "
          f"{1000 * median_seconds(lambda: call('/api/preview', {'text': text, 'recipient': 'mum'}), 15):.0f} ms median")
    print(f"page load over HTTP (index.html, editor.js, style.css): {1000 * median_seconds(page, 15):.1f} ms median")
    if Path(CHROMIUM).exists():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"])
            tab = browser.new_page()

            def load() -> None:
                tab.goto(f"{base}/?token={token}")
                tab.wait_for_function("() => window.confpackEditor !== undefined")

            def paste_and_lint() -> None:
                tab.evaluate("text => window.confpackEditor.setText(text)", text + f"\n<!-- {time.time()} -->\n")
                tab.evaluate("() => window.confpackEditor.lintNow()")

            print(f"page load in chromium until the editor is ready: {1000 * median_seconds(load, 7):.0f} ms median")
            print(f"paste {words:,} words and see the findings in chromium: {1000 * median_seconds(paste_and_lint, 7):.0f} ms "
                  "median")
            browser.close()
    else:
        print(f"browser timings skipped: {CHROMIUM} is missing")
    server.should_exit = True
    thread.join(10)


if __name__ == "__main__":
    main()
