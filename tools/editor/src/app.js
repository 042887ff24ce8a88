// confpack serve: the page logic (editor, live lint, recipient preview, import, download).
// Built into pipeline/serve/static/editor.js by ../build.mjs; see ../README.md.
import { EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import {
  EditorView, ViewPlugin, drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars,
  keymap, lineNumbers, placeholder, showTooltip,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { HighlightStyle, LanguageSupport, syntaxHighlighting } from "@codemirror/language";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { forEachDiagnostic, lintGutter, linter, openLintPanel, setDiagnostics } from "@codemirror/lint";
import { markdownKeymap, markdownLanguage } from "@codemirror/lang-markdown";
import { yamlFrontmatter } from "@codemirror/lang-yaml";
import { tags as t } from "@lezer/highlight";

const LINT_DELAY_MS = 250;
const $ = (id) => document.getElementById(id);
const TOKEN = document.querySelector('meta[name="confpack-token"]')?.getAttribute("content") ?? "";

// Severity is never shown by colour alone: each has a word, an icon and an underline style.
const SEVERITY = {
  error: { word: "Error", icon: "✖", cm: "error" },
  warning: { word: "Warning", icon: "▲", cm: "warning" },
  suggestion: { word: "Suggestion", icon: "●", cm: "info" },
};
const COLOUR = { error: "#b3261e", warning: "#a35200", suggestion: "#1a5fb4" };

// ---------------------------------------------------------------- small DOM helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c != null && c !== false) node.append(c);
  return node;
}

const icon = (sev) => el("span", { class: "cp-icon", "aria-hidden": "true" }, SEVERITY[sev].icon);

function safeLink(href) {
  if (!href) return null;
  try {
    const url = new URL(href, document.baseURI);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

let statusTimer = 0;
function announce(message) {
  const node = $("status");
  clearTimeout(statusTimer);
  node.textContent = message;
  statusTimer = setTimeout(() => { if (node.textContent === message) node.textContent = ""; }, 15000);
}

function clearAlert(source = null) {
  const box = $("alert");
  if (source == null || box.dataset.source === source) box.replaceChildren();
}

// An error a person can act on: the message, a button to jump to its line, a button to dismiss it.
// `source` lets a later success clear it (e.g. the next lint that works clears a lint failure).
function showAlert(message, line = null, source = "") {
  const box = $("alert");
  box.dataset.source = source;
  box.replaceChildren(
    el("p", {}, el("span", { class: "cp-icon", "aria-hidden": "true" }, "✖ "), message),
    el("div", { class: "alert-actions" },
      Number.isFinite(line) ? el("button", { type: "button", onclick: () => goToLine(line) }, `Go to line ${line}`) : null,
      el("button", { type: "button", class: "secondary", onclick: () => { clearAlert(); view.focus(); } }, "Dismiss")),
  );
}

// ---------------------------------------------------------------- talking to the server

class ApiError extends Error {
  constructor(message, status = 0) { super(message); this.status = status; }
}

function describeHttp(status) {
  if (status === 401 || status === 403) {
    return "The server did not accept this page's key. Open the address that 'confpack serve' printed, in a new tab.";
  }
  return `The server could not do that (HTTP ${status}). Try again; if it keeps happening, restart 'confpack serve'.`;
}

async function post(path, body, signal) {
  const headers = { "X-Confpack-Token": TOKEN, Accept: "application/json" };
  const init = { method: "POST", headers, signal, cache: "no-store", credentials: "same-origin" };
  if (body instanceof FormData) init.body = body;
  else {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(new URL(path, document.baseURI), init);
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError("Cannot reach 'confpack serve'. Is it still running?");
  }
}

async function readJson(res) {
  const type = res.headers.get("Content-Type") || "";
  if (!type.includes("json")) return null;
  try { return await res.json(); } catch { return null; }
}

// JSON answer of an API call; an answer with an `error` object is returned (the caller shows it),
// any other failure throws an ApiError with a sentence for people.
async function postJson(path, body, signal) {
  const res = await post(path, body, signal);
  const data = await readJson(res);
  if (data && typeof data === "object" && (res.ok || data.error)) return data;
  throw new ApiError(res.ok ? "The server sent an answer this page cannot read." : describeHttp(res.status), res.status);
}

const isAbort = (e) => e && e.name === "AbortError";

function errorOf(data) {
  const e = data && data.error;
  if (!e) return null;
  if (typeof e === "string") return { line: null, message: e };
  return { line: Number.isFinite(e.line) ? e.line : null, message: String(e.message || "The server refused this text.") };
}

// ---------------------------------------------------------------- positions

// 1-based line and column (counted in characters, i.e. code points as Python counts them)
// to a CodeMirror offset, clamped to the document.
function toOffset(doc, line, column) {
  line = Number.isFinite(line) ? Math.trunc(line) : 1;
  if (line < 1) return 0;
  if (line > doc.lines) return doc.length;
  const ln = doc.line(line);
  const text = ln.text;
  const col = Number.isFinite(column) ? Math.max(1, Math.trunc(column)) : 1;
  let i = 0;
  for (let c = 1; c < col && i < text.length; c++) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    i += pair ? 2 : 1;
  }
  return ln.from + i;
}

function lineRange(doc, line) {
  const n = Math.min(Math.max(1, Number.isFinite(line) ? Math.trunc(line) : 1), doc.lines);
  const ln = doc.line(n);
  return { from: ln.from, to: ln.to };
}

// ---------------------------------------------------------------- findings state

// Records of the last lint answer, positions kept in step with edits until the next answer.
let records = [];
let ignored = new Set(); // keys hidden by "Ignore once"; emptied whenever the text changes

function recordsFrom(data, doc) {
  const out = [];
  const err = errorOf(data);
  if (err) {
    const { from, to } = lineRange(doc, err.line);
    out.push({
      kind: "parse", rule: "document", severity: "error", message: err.message, suggestions: [], link: null,
      line: err.line ?? 1, from, to, match: "",
    });
  }
  for (const f of Array.isArray(data.findings) ? data.findings : []) {
    const severity = SEVERITY[f.severity] ? f.severity : "warning";
    const from = toOffset(doc, f.line, f.column);
    let to = toOffset(doc, f.end_line ?? f.line, f.end_column ?? f.column);
    if (to < from) to = from;
    out.push({
      kind: "finding", rule: String(f.rule ?? ""), severity, message: String(f.message ?? ""),
      suggestions: Array.isArray(f.suggestions) ? f.suggestions.map(String) : [],
      link: safeLink(f.link), line: f.line, from, to, match: String(f.match ?? ""),
    });
  }
  for (const r of out) r.key = [r.kind, r.rule, r.from, r.to, r.message].join("\u0000");
  return out.sort((a, b) => a.from - b.from || a.to - b.to);
}

const visibleRecords = () => records.filter((r) => !ignored.has(r.key));

function renderFinding(rec) {
  const sev = SEVERITY[rec.severity];
  return el("div", { class: `cp-diag cp-sev-${rec.severity}` },
    el("div", { class: "cp-diag-head" }, icon(rec.severity), " ", el("strong", {}, sev.word), " ",
      el("code", {}, rec.kind === "parse" ? "cannot read the report" : rec.rule)),
    el("div", { class: "cp-diag-msg" }, rec.message),
    rec.suggestions.length ? el("div", { class: "cp-diag-alt" }, "Plain alternative: ",
      el("strong", {}, `“${rec.suggestions[0]}”`)) : null,
    rec.link ? el("div", { class: "cp-diag-why" },
      el("a", { href: rec.link, target: "_blank", rel: "noopener noreferrer" }, "Why this matters (opens in a new tab)")) : null,
  );
}

function applySuggestion(rec, from = rec.from, to = rec.to) {
  const insert = rec.suggestions[0];
  if (insert == null) return;
  const old = view.state.sliceDoc(from, to);
  view.dispatch({
    changes: { from, to, insert },
    selection: { anchor: from + insert.length },
    userEvent: "input.lintfix",
    scrollIntoView: true,
  });
  announce(old ? `Replaced “${old}” with “${insert}”.` : `Inserted “${insert}”.`);
}

function ignoreOnce(rec) {
  ignored.add(rec.key);
  showFindings();
  announce(`Ignored ${rec.rule} until the text changes.`);
}

function openWhy(rec) {
  if (rec.link) window.open(rec.link, "_blank", "noopener,noreferrer");
}

function toDiagnostic(rec) {
  const actions = [];
  if (rec.suggestions.length) {
    actions.push({ name: "Apply suggestion", apply: (_view, from, to) => applySuggestion(rec, from, to) });
  }
  if (rec.kind === "finding") actions.push({ name: "Ignore once", apply: () => ignoreOnce(rec) });
  // In the lint panel (where links cannot sit inside a list option) this is the keyboard way to the
  // "why" page (access key W); tooltips show the link itself and hide this button.
  if (rec.link) actions.push({ name: "Why this matters", markClass: "cp-why-action", apply: () => openWhy(rec) });
  const alt = rec.suggestions.length ? ` Plain alternative: ${rec.suggestions[0]}.` : "";
  return {
    from: rec.from, to: rec.to, severity: SEVERITY[rec.severity].cm,
    message: `${SEVERITY[rec.severity].word} ${rec.rule}: ${rec.message}.${alt}`,
    markClass: `cp-mark-${rec.severity}`,
    renderMessage: () => renderFinding(rec),
    actions,
    cp: rec,
  };
}

// ---------------------------------------------------------------- the editor

const setFocused = StateEffect.define();
const focusField = StateField.define({
  create: () => false,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setFocused)) value = e.value;
    return value;
  },
});

function diagnosticsAt(state, pos) {
  const found = [];
  forEachDiagnostic(state, (d, from, to) => { if (pos >= from && pos <= to && d.cp) found.push({ d, from, to }); });
  return found;
}

function cursorTooltipDom(found) {
  return el("div", { class: "cp-cursor-tip" },
    found.map(({ d }) => el("div", { class: "cp-cursor-item" }, renderFinding(d.cp),
      el("div", { class: "cp-tip-actions" },
        d.cp.suggestions.length ? el("button", {
          type: "button", tabindex: "-1",
          onmousedown: (e) => { e.preventDefault(); applySuggestion(d.cp, ...currentRange(d)); },
        }, "Apply suggestion") : null,
        d.cp.kind === "finding" ? el("button", {
          type: "button", tabindex: "-1", class: "secondary",
          onmousedown: (e) => { e.preventDefault(); ignoreOnce(d.cp); },
        }, "Ignore once") : null))),
    el("div", { class: "cp-tip-keys" }, "Ctrl+. applies the suggestion · Ctrl+Shift+M lists all findings · F8 next"));
}

function currentRange(d) {
  let range = [d.cp.from, d.cp.to];
  forEachDiagnostic(view.state, (x, from, to) => { if (x === d) range = [from, to]; });
  return range;
}

// Shows the finding(s) under the keyboard cursor while the editor has focus.
const cursorTip = StateField.define({
  create: () => null,
  update(tip, tr) {
    if (!tr.docChanged && !tr.selection && !tr.effects.length) return tip;
    if (!tr.state.field(focusField)) return null;
    const found = diagnosticsAt(tr.state, tr.state.selection.main.head);
    if (!found.length) return null;
    const pos = Math.min(...found.map((f) => f.from));
    const diags = found.map((f) => f.d);
    if (tip && tip.pos === pos && tip.diags.length === diags.length && tip.diags.every((d, i) => d === diags[i])) return tip;
    return { pos, above: false, diags, create: () => ({ dom: cursorTooltipDom(found) }) };
  },
  provide: (f) => showTooltip.from(f),
});

function findingStops(state) {
  const stops = [];
  forEachDiagnostic(state, (d, from, to) => { if (d.cp) stops.push({ from, to, d }); });
  return stops.sort((a, b) => a.from - b.from);
}

function moveTo(v, pos) {
  v.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: "center" }) });
}

const nextFinding = (v) => {
  const stops = findingStops(v.state);
  if (!stops.length) { announce("No findings."); return true; }
  const head = v.state.selection.main.head;
  moveTo(v, (stops.find((s) => s.from > head) ?? stops[0]).from);
  return true;
};

const previousFinding = (v) => {
  const stops = findingStops(v.state);
  if (!stops.length) { announce("No findings."); return true; }
  const head = v.state.selection.main.head;
  moveTo(v, ([...stops].reverse().find((s) => s.from < head) ?? stops[stops.length - 1]).from);
  return true;
};

const applyAtCursor = (v) => {
  const found = diagnosticsAt(v.state, v.state.selection.main.head).filter((f) => f.d.cp.suggestions.length);
  if (!found.length) { announce("No suggestion at the cursor."); return true; }
  applySuggestion(found[0].d.cp, found[0].from, found[0].to);
  return true;
};

// CodeMirror's lint panel is a listbox whose options hold <button>s; interactive elements inside an
// option are invisible to screen readers and break WCAG 4.1.2. In the panel, the actions become plain
// labels (still clickable) that name their access key, and the "why" link is left to its W action.
const panelActions = ViewPlugin.fromClass(class {
  constructor(view) { this.view = view; this.fix(); }
  update() { queueMicrotask(() => this.fix()); }
  fix() {
    const panel = this.view.dom.querySelector(".cm-panel-lint");
    if (!panel) return;
    for (const why of panel.querySelectorAll("li .cp-diag-why")) why.remove();
    for (const button of panel.querySelectorAll("li button.cm-diagnosticAction")) {
      const key = button.querySelector("u")?.textContent;
      const label = el("span", { class: `${button.className} cp-panel-action` }, ...button.childNodes,
        key ? el("span", { class: "visually-hidden" }, ` (press ${key.toUpperCase()})`) : null);
      label.addEventListener("mousedown", (e) => {
        e.preventDefault();
        button.dispatchEvent(new MouseEvent("mousedown", { cancelable: true }));
      });
      button.replaceWith(label);
    }
  }
});

const findingKeys = [
  { key: "F8", run: nextFinding, preventDefault: true },
  { key: "Shift-F8", run: previousFinding, preventDefault: true },
  { key: "Mod-.", run: applyAtCursor, preventDefault: true },
  { key: "Mod-Shift-m", run: openLintPanel, preventDefault: true },
];

const highlight = HighlightStyle.define([
  { tag: t.heading, fontWeight: "700", color: "#1a237e" },
  { tag: t.heading1, fontSize: "1.15em" },
  { tag: t.emphasis, fontStyle: "italic" },
  { tag: t.strong, fontWeight: "700" },
  { tag: t.strikethrough, textDecoration: "line-through" },
  { tag: [t.link, t.url], color: "#0b57d0" },
  { tag: t.quote, color: "#4d4d4d", fontStyle: "italic" },
  { tag: t.monospace, color: "#7a1f7a" },
  { tag: [t.processingInstruction, t.meta, t.contentSeparator, t.punctuation, t.separator], color: "#5c5c5c" },
  { tag: [t.propertyName, t.definition(t.propertyName)], color: "#7a1f7a" },
  { tag: [t.string, t.special(t.string)], color: "#1b6e20" },
  { tag: [t.number, t.bool, t.atom, t.null, t.keyword], color: "#8a4b00" },
  { tag: t.comment, color: "#5c5c5c", fontStyle: "italic" },
  { tag: t.invalid, color: "#b3261e" },
]);

const underline = (style, colour) => ({
  backgroundImage: "none",
  textDecorationLine: "underline",
  textDecorationStyle: style,
  textDecorationColor: colour,
  textDecorationThickness: "2px",
  textUnderlineOffset: "4px",
  textDecorationSkipInk: "none",
});
const gutterIcon = (sev) => ({
  content: "normal",
  "&::before": { content: `"${SEVERITY[sev].icon}"`, color: COLOUR[sev] },
});
const point = (colour) => ({ "&::after": { borderBottomColor: colour } });

const theme = EditorView.theme({
  "&": { color: "#1a1a1a", backgroundColor: "#ffffff", border: "1px solid #6b6b6b", borderRadius: "4px", height: "100%" },
  "&.cm-focused": { outline: "3px solid #0b57d0", outlineOffset: "2px" },
  ".cm-scroller": {
    fontFamily: "ui-monospace, 'DejaVu Sans Mono', 'Cascadia Mono', Menlo, Consolas, monospace",
    lineHeight: "1.65",
  },
  ".cm-content": { padding: "8px 0", caretColor: "#1a1a1a" },
  ".cm-line": { padding: "0 10px 0 6px" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "#1a1a1a", borderLeftWidth: "2px" },
  ".cm-placeholder": { color: "#5c5c5c" },
  ".cm-gutters": { backgroundColor: "#f2f2f2", color: "#4d4d4d", borderRight: "1px solid #8c8c8c" },
  ".cm-activeLine": { backgroundColor: "#eef4ff" },
  ".cm-activeLineGutter": { backgroundColor: "#d9e6fb", color: "#1a1a1a" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, ::selection": { backgroundColor: "#b6d0f7" },
  ".cm-selectionBackground": { backgroundColor: "#d3dff2" },
  ".cm-selectionMatch": { backgroundColor: "#e3ecd9" },
  // Lint marks: colour AND line style.
  ".cm-lintRange": { paddingBottom: "0" },
  ".cm-lintRange-error": underline("solid", COLOUR.error),
  ".cm-lintRange-warning": underline("dashed", COLOUR.warning),
  ".cm-lintRange-info": underline("dotted", COLOUR.suggestion),
  ".cm-lintRange-hint": underline("dotted", COLOUR.suggestion),
  ".cm-lintRange-active": { backgroundColor: "#ffe7a8" },
  ".cm-lintPoint::after": { borderLeftWidth: "5px", borderRightWidth: "5px", borderBottomWidth: "7px", left: "-5px" },
  ".cm-lintPoint-error": point(COLOUR.error),
  ".cm-lintPoint-warning": point(COLOUR.warning),
  ".cm-lintPoint-info": point(COLOUR.suggestion),
  ".cm-gutter-lint": { width: "1.6em" },
  ".cm-gutter-lint .cm-gutterElement": { padding: "0 .2em" },
  ".cm-lint-marker": {
    width: "1.2em", height: "1.6em", display: "flex", alignItems: "center", justifyContent: "center",
    fontSize: "0.95em", fontFamily: "'DejaVu Sans', system-ui, sans-serif",
  },
  ".cm-lint-marker-error": gutterIcon("error"),
  ".cm-lint-marker-warning": gutterIcon("warning"),
  ".cm-lint-marker-info": gutterIcon("suggestion"),
  // Tooltips and the lint panel.
  ".cm-tooltip": {
    backgroundColor: "#ffffff", color: "#1a1a1a", border: "1px solid #4d4d4d", borderRadius: "4px",
    boxShadow: "0 2px 8px rgba(0,0,0,.25)", maxWidth: "34em", fontFamily: "system-ui, sans-serif", fontSize: "0.95rem",
  },
  ".cp-cursor-tip": { padding: "6px 10px" },
  ".cm-diagnostic": { whiteSpace: "normal", padding: "6px 10px 6px 10px" },
  ".cm-diagnostic-error": { borderLeft: `6px solid ${COLOUR.error}` },
  ".cm-diagnostic-warning": { borderLeft: `6px dashed ${COLOUR.warning}` },
  ".cm-diagnostic-info": { borderLeft: `6px dotted ${COLOUR.suggestion}` },
  ".cm-diagnosticAction, .cp-tip-actions button": {
    font: "inherit", fontSize: "0.9rem", minHeight: "28px", padding: "2px 10px", margin: "6px 8px 0 0",
    border: "2px solid #0b57d0", borderRadius: "4px", backgroundColor: "#0b57d0", color: "#ffffff", cursor: "pointer",
  },
  ".cp-tip-actions button.secondary": { backgroundColor: "#ffffff", color: "#0b57d0" },
  ".cm-diagnosticAction:focus-visible": { outline: "3px solid #1a1a1a", outlineOffset: "2px" },
  ".cm-diagnosticSource": { display: "none" },
  ".cm-panels": { backgroundColor: "#f7f7f7", color: "#1a1a1a" },
  ".cm-panels-bottom": { borderTop: "2px solid #4d4d4d" },
  ".cm-tooltip .cp-why-action": { display: "none" },
  ".cm-panel.cm-panel-lint ul": { maxHeight: "14em" },
  ".cm-panel.cm-panel-lint ul [aria-selected], .cm-panel.cm-panel-lint ul:focus [aria-selected]": {
    backgroundColor: "#e8f0fe", color: "#1a1a1a", outline: "2px solid #0b57d0", outlineOffset: "-2px",
  },
  ".cm-panel.cm-panel-lint ul [aria-selected] u": { textDecoration: "underline" },
  ".cp-panel-action": { display: "inline-block", lineHeight: "1.4" },
  ".cm-panel.cm-panel-lint ul:focus-visible": { outline: "3px solid #0b57d0", outlineOffset: "-3px" },
  ".cm-panel.cm-panel-lint [name=close]": {
    minWidth: "28px", minHeight: "28px", fontSize: "1.2rem", color: "#1a1a1a", cursor: "pointer",
  },
  ".cm-panel.cm-panel-lint [name=close]:focus-visible": { outline: "3px solid #0b57d0" },
});

function editorExtensions() {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    EditorView.lineWrapping,
    placeholder("Open a report with the file picker above, or type Markdown here."),
    yamlFrontmatter({ content: new LanguageSupport(markdownLanguage) }),
    syntaxHighlighting(highlight),
    linter(null, {
      // The hover tooltip leaves out what the cursor tooltip already shows.
      tooltipFilter: (diags, state) => {
        const shown = state.field(cursorTip)?.diags ?? [];
        return diags.filter((d) => !shown.includes(d));
      },
    }),
    lintGutter(),
    focusField,
    EditorView.focusChangeEffect.of((_state, focusing) => setFocused.of(focusing)),
    cursorTip,
    panelActions,
    Prec.high(keymap.of(findingKeys)),
    Prec.high(keymap.of(markdownKeymap)),
    keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap]),
    EditorView.contentAttributes.of({
      "aria-labelledby": "editor-label",
      "aria-describedby": "editor-help",
      tabindex: "0", // already focusable (contenteditable); said explicitly for checkers
      spellcheck: "true",
      lang: "en-GB",
    }),
    theme,
    EditorView.updateListener.of(onUpdate),
  ];
}

// ---------------------------------------------------------------- lint loop

let lintTimer = 0;
let lintController = null;
let lintSeq = 0;
let doneWaiters = [];
let lastSummary = { findings: 0, error: null };
let dirty = false;

function setLintState(state) {
  document.body.dataset.lintState = state;
  if (state === "done") {
    const waiters = doneWaiters;
    doneWaiters = [];
    for (const resolve of waiters) resolve(lastSummary);
  }
}

function onUpdate(update) {
  if (update.docChanged) {
    dirty = true;
    if (ignored.size) ignored = new Set();
    for (const r of records) {
      r.from = update.changes.mapPos(r.from, 1);
      r.to = Math.max(r.from, update.changes.mapPos(r.to, -1));
    }
    scheduleLint();
  }
  if (update.docChanged || update.selectionSet || update.focusChanged ||
      update.transactions.some((tr) => tr.effects.length)) {
    announceCursorFinding(update.state);
  }
}

let lastCursorKey = null;
function announceCursorFinding(state) {
  const tip = state.field(cursorTip);
  const rec = tip?.diags[0]?.cp ?? null;
  const key = rec ? rec.key : null;
  if (key === lastCursorKey) return;
  lastCursorKey = key;
  const more = rec && rec.suggestions.length ? ` Plain alternative: ${rec.suggestions[0]}. Press Control+full stop to apply it.` : "";
  $("cursor-finding").textContent = rec ? `${SEVERITY[rec.severity].word}: ${rec.message}.${more}` : "";
}

function scheduleLint() {
  clearTimeout(lintTimer);
  if (lintController) lintController.abort(); // the answer would be for old text
  lintController = null;
  setLintState("pending");
  lintTimer = setTimeout(runLint, LINT_DELAY_MS);
}

function lintNow() {
  clearTimeout(lintTimer);
  const done = new Promise((resolve) => doneWaiters.push(resolve));
  runLint();
  return done;
}

async function runLint() {
  clearTimeout(lintTimer);
  if (lintController) lintController.abort();
  const controller = (lintController = new AbortController());
  const seq = ++lintSeq;
  const doc = view.state.doc;
  const text = doc.toString();
  const audience = $("audience").value || null;
  setLintState("pending");
  if (!text.trim()) {
    records = [];
    lastSummary = { findings: 0, error: null };
    showFindings();
    renderMetrics(null);
    lintController = null;
    setLintState("done");
    refreshRecipients(text).then(() => refreshPreview());
    return;
  }
  try {
    const data = await postJson("api/lint", { text, audience }, controller.signal);
    if (seq !== lintSeq || view.state.doc !== doc) return;
    records = recordsFrom(data, doc);
    renderMetrics(data.metrics ?? null);
    showFindings();
    lastSummary = { findings: visibleRecords().length, error: errorOf(data) };
    clearAlert("lint");
  } catch (e) {
    if (isAbort(e) || seq !== lintSeq) return;
    lastSummary = { findings: visibleRecords().length, error: { line: null, message: e.message } };
    showAlert(`The text was not checked: ${e.message}`, null, "lint");
  }
  lintController = null;
  setLintState("done");
  refreshRecipients(text).then(() => refreshPreview());
}

function showFindings() {
  const visible = visibleRecords();
  view.dispatch(setDiagnostics(view.state, visible.map(toDiagnostic)));
  renderFindingList(visible);
  renderCounts(visible);
}

function renderFindingList(visible) {
  const list = $("findings");
  list.dataset.findings = String(visible.length);
  $("findings-empty").hidden = visible.length > 0;
  list.replaceChildren(...visible.map((rec) => {
    const line = view.state.doc.lineAt(Math.min(rec.from, view.state.doc.length)).number;
    return el("li", { class: `finding cp-sev-${rec.severity}` },
      el("button", { type: "button", class: "finding-button", onclick: () => jumpTo(rec) },
        el("span", { class: "finding-head" }, icon(rec.severity), " ", el("strong", {}, SEVERITY[rec.severity].word),
          " ", el("code", {}, rec.kind === "parse" ? "cannot read the report" : rec.rule),
          " ", el("span", { class: "finding-line" }, `line ${line}`)),
        el("span", { class: "finding-msg" }, rec.message)));
  }));
}

let lastCountText = null;
function renderCounts(visible) {
  const n = { error: 0, warning: 0, suggestion: 0 };
  for (const r of visible) n[r.severity]++;
  const plural = (k, word) => `${k} ${word}${k === 1 ? "" : "s"}`;
  const text = visible.length
    ? `${plural(visible.length, "finding")}: ${plural(n.error, "error")}, ${plural(n.warning, "warning")}, ${plural(n.suggestion, "suggestion")}.`
    : "No findings.";
  $("findings-total").textContent = `(${visible.length})`;
  if (text !== lastCountText) $("counts").textContent = lastCountText = text;
}

function jumpTo(rec) {
  view.dispatch({ selection: { anchor: rec.from }, effects: EditorView.scrollIntoView(rec.from, { y: "center" }) });
  view.focus();
}

function goToLine(line) {
  const { from } = lineRange(view.state.doc, line);
  view.dispatch({ selection: { anchor: from }, effects: EditorView.scrollIntoView(from, { y: "center" }) });
  view.focus();
}

// ---------------------------------------------------------------- gauges

function setGauge(prefix, { value, status, kind, fill, mark }) {
  $(`${prefix}-value`).textContent = value;
  const s = $(`${prefix}-status`);
  s.className = `gauge-status status-${kind}`;
  s.replaceChildren(el("span", { class: "cp-icon", "aria-hidden": "true" },
    { ok: "✔ ", bad: "✖ ", warn: "▲ ", none: "– " }[kind]), status);
  const bar = $(`${prefix}-bar`);
  bar.className = `bar bar-${kind}`;
  bar.querySelector(".fill").style.width = `${Math.round(Math.min(1, Math.max(0, fill)) * 100)}%`;
  const m = bar.querySelector(".mark");
  m.hidden = mark == null;
  if (mark != null) m.style.left = `${Math.round(Math.min(1, mark) * 100)}%`;
}

const AUDIENCE_WORD = { family: "a family reader", child: "a child reader", professional: "a professional reader" };

function renderMetrics(m) {
  if (!m) {
    $("ra-limit").textContent = "–";
    setGauge("ra", { value: "–", status: "Not checked yet", kind: "none", fill: 0, mark: null });
    setGauge("sp", { value: "–", status: "Not checked yet", kind: "none", fill: 0, mark: null });
    $("checked-for").textContent = "";
    return;
  }
  const limit = Number(m.reading_age_limit);
  const age = m.reading_age;
  $("ra-limit").textContent = Number.isFinite(limit) ? String(limit) : "–";
  const scale = Math.max(20, (Number.isFinite(limit) ? limit : 0) + 4, Number.isFinite(age) ? age : 0);
  if (!Number.isFinite(age)) {
    setGauge("ra", { value: "–", status: "Not enough text to measure", kind: "none", fill: 0, mark: limit / scale });
  } else {
    const above = Number.isFinite(limit) && age > limit;
    setGauge("ra", {
      value: age.toFixed(1),
      status: above ? `Above the limit by ${(age - limit).toFixed(1)} years` : "Within the limit",
      kind: above ? "bad" : "ok", fill: age / scale, mark: limit / scale,
    });
  }
  const ratio = m.second_person_ratio;
  const target = Number.isFinite(m.second_person_target) ? m.second_person_target
    : m.audience === "professional" ? null : 0.5;
  if (!Number.isFinite(ratio)) {
    setGauge("sp", { value: "–", status: "No one is addressed or named yet", kind: "none", fill: 0, mark: target });
  } else if (target == null) {
    setGauge("sp", { value: `${Math.round(ratio * 100)}%`, status: "No target for this reader", kind: "none", fill: ratio, mark: null });
  } else {
    const low = ratio < target;
    setGauge("sp", {
      value: `${Math.round(ratio * 100)}%`,
      status: low ? `Below ${Math.round(target * 100)}%: write to the reader as “you”` : "Mostly written to the reader",
      kind: low ? "warn" : "ok", fill: ratio, mark: target,
    });
  }
  const words = Number.isFinite(m.words) ? `, ${m.words} words` : "";
  $("checked-for").textContent = m.audience ? `Checked for ${AUDIENCE_WORD[m.audience] ?? m.audience}${words}.` : "";
}

// ---------------------------------------------------------------- recipients and preview

let recipientsController = null;
let lastFrontMatter = null;

function frontMatterOf(text) {
  const m = /^---[ \t]*\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
  return m ? m[0] : "";
}

async function refreshRecipients(text) {
  const fm = frontMatterOf(text);
  if (fm === lastFrontMatter) return;
  if (recipientsController) recipientsController.abort();
  const controller = (recipientsController = new AbortController());
  let list = [];
  if (text.trim()) {
    try {
      const data = await postJson("api/recipients", { text }, controller.signal);
      if (errorOf(data)) return; // keep the list; the lint error already says what is wrong
      list = Array.isArray(data.recipients) ? data.recipients : [];
    } catch (e) {
      if (!isAbort(e)) showAlert(`Could not load the recipients: ${e.message}`);
      return;
    }
  }
  if (controller !== recipientsController) return;
  lastFrontMatter = fm;
  fillRecipients(list);
}

function fillRecipients(list) {
  const select = $("recipient");
  const before = select.value;
  const options = list.map((r) => el("option", { value: String(r.id) }, String(r.label ?? r.id)));
  if (!options.length) options.push(el("option", { value: "" }, "No recipients yet"));
  select.replaceChildren(...options);
  if (list.some((r) => String(r.id) === before)) select.value = before;
  else select.selectedIndex = 0;
  select.disabled = false;
}

let previewController = null;

async function refreshPreview() {
  if (previewController) previewController.abort();
  const controller = (previewController = new AbortController());
  const select = $("recipient");
  const recipient = select.value;
  const body = $("preview");
  const note = $("preview-note");
  const who = recipient ? select.options[select.selectedIndex].textContent : "";
  $("preview-who").textContent = who ? `: ${who}` : "";
  const text = view.state.doc.toString();
  if (!recipient || !text.trim()) {
    note.replaceChildren(text.trim() ? "Choose a recipient to see their copy." : "Open or type a report to see a recipient's copy.");
    body.replaceChildren();
    document.body.dataset.previewState = "done";
    return;
  }
  document.body.dataset.previewState = "pending";
  $("preview-section").setAttribute("aria-busy", "true");
  try {
    const data = await postJson("api/preview", { text, recipient }, controller.signal);
    if (controller !== previewController) return;
    const err = errorOf(data);
    if (err) {
      note.replaceChildren(el("div", { class: "refusal" },
        el("p", {}, el("span", { class: "cp-icon", "aria-hidden": "true" }, "✖ "),
          el("strong", {}, `No copy for ${who}: `), err.message),
        Number.isFinite(err.line) ? el("button", { type: "button", onclick: () => goToLine(err.line) }, `Go to line ${err.line}`) : null));
      body.replaceChildren();
    } else {
      note.replaceChildren(`What ${who} will receive. Parts they may not see are shown as marked gaps.`);
      body.innerHTML = typeof data.html === "string" ? data.html : ""; // server-escaped HTML
    }
  } catch (e) {
    if (isAbort(e) || controller !== previewController) return;
    note.replaceChildren(`The preview could not be made: ${e.message}`);
    body.replaceChildren();
  } finally {
    if (controller === previewController) {
      $("preview-section").removeAttribute("aria-busy");
      document.body.dataset.previewState = "done";
      previewController = null;
    }
  }
}

// ---------------------------------------------------------------- import

let baseName = "report";

function setText(text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: String(text ?? "") }, selection: { anchor: 0 }, userEvent: "set" });
}

const CHANGE_WORD = { insertion: "Tracked insertion", deletion: "Tracked deletion", comment: "Comment" };

async function importFile(file) {
  if (!/\.(docx|md|markdown)$/i.test(file.name)) {
    showAlert(`“${file.name}” is not a .docx or .md file.`);
    return;
  }
  clearAlert();
  announce(`Opening ${file.name}…`);
  const form = new FormData();
  form.append("file", file, file.name);
  let data;
  try {
    data = await postJson("api/import", form);
  } catch (e) {
    announce("");
    showAlert(`Could not open ${file.name}: ${e.message}`);
    return;
  }
  const messages = Array.isArray(data.messages) ? data.messages : [];
  const changes = Array.isArray(data.changes) ? data.changes : [];
  const err = errorOf(data);
  const items = [];
  if (err) items.push(el("li", { class: "import-error" }, icon("error"), " ", el("strong", {}, "Not opened: "), err.message));
  for (const m of messages) items.push(el("li", {}, String(m)));
  for (const c of changes) {
    items.push(el("li", {}, el("strong", {}, `${CHANGE_WORD[c.kind] ?? "Change"}`),
      c.author ? ` by ${c.author}` : "", ": ", el("q", {}, String(c.text ?? ""))));
  }
  $("import-file").textContent = `From ${file.name}:`;
  $("import-list").replaceChildren(...items);
  $("import-empty").hidden = items.length > 0;
  if (err) {
    announce("");
    showAlert(`Could not open ${file.name}: ${err.message}`);
    return;
  }
  if (typeof data.text === "string") {
    baseName = file.name.replace(/\.[^.]+$/, "") || "report";
    setText(data.text);
    dirty = false;
    const extra = items.length ? ` ${items.length} import message${items.length === 1 ? "" : "s"}: see Import messages.` : "";
    announce(`Opened ${file.name}. Ctrl+Z undoes it.${extra}`);
    lintNow();
  }
}

// ---------------------------------------------------------------- downloads

function filenameFrom(disposition, fallback) {
  if (disposition) {
    const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
    if (star) { try { return decodeURIComponent(star[1].trim()); } catch { /* fall through */ } }
    const plain = /filename\s*=\s*"([^"]+)"|filename\s*=\s*([^;]+)/.exec(disposition);
    if (plain) return (plain[1] ?? plain[2]).trim();
  }
  return fallback;
}

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

let downloading = false;

async function download(format, button) {
  if (downloading) return;
  const label = format === "pdf" ? "PDF" : "Word";
  const select = $("recipient");
  const recipient = select.value || null;
  downloading = true;
  button.setAttribute("aria-disabled", "true");
  clearAlert();
  announce(`Making the ${label} file${recipient ? ` for ${select.options[select.selectedIndex].textContent}` : ""}…`);
  try {
    const res = await post("api/download", { text: view.state.doc.toString(), recipient, format });
    const type = res.headers.get("Content-Type") || "";
    if (res.ok && !type.includes("json")) {
      const name = filenameFrom(res.headers.get("Content-Disposition"), `${baseName}-${recipient ?? "copy"}.${format}`);
      saveBlob(await res.blob(), name);
      dirty = false;
      announce(`Downloaded ${name}.`);
      return;
    }
    const data = await readJson(res);
    const err = errorOf(data);
    if (err) showAlert(`No ${label} file was made: ${err.message}`, err.line);
    else showAlert(`No ${label} file was made: ${describeHttp(res.status)}`);
    announce("");
  } catch (e) {
    announce("");
    showAlert(`No ${label} file was made: ${e.message}`);
  } finally {
    downloading = false;
    button.removeAttribute("aria-disabled");
  }
}

function saveMarkdown() {
  const name = `${baseName}.md`;
  saveBlob(new Blob([view.state.doc.toString()], { type: "text/markdown;charset=utf-8" }), name);
  dirty = false;
  announce(`Saved ${name}.`);
}

// ---------------------------------------------------------------- start

const view = new EditorView({
  state: EditorState.create({ doc: "", extensions: editorExtensions() }),
  parent: $("editor"),
});

function start() {
  renderMetrics(null);
  renderFindingList([]);
  renderCounts([]);
  $("counts").textContent = "";
  if (!TOKEN || /^__[A-Z]+__$/.test(TOKEN)) {
    showAlert("This page has no key from 'confpack serve', so it cannot check text. Open the address that 'confpack serve' printed.");
  }
  $("file").addEventListener("change", (e) => {
    const file = e.target.files && e.target.files[0];
    if (file) importFile(file).finally(() => { e.target.value = ""; });
  });
  $("audience").addEventListener("change", () => lintNow());
  $("recipient").addEventListener("change", () => refreshPreview());
  $("download-docx").addEventListener("click", (e) => download("docx", e.currentTarget));
  $("download-pdf").addEventListener("click", (e) => download("pdf", e.currentTarget));
  $("save-md").addEventListener("click", saveMarkdown);
  $("skip-link").addEventListener("click", (e) => { e.preventDefault(); view.focus(); });
  window.addEventListener("beforeunload", (e) => {
    if (dirty && view.state.doc.length) { e.preventDefault(); e.returnValue = ""; }
  });
  setLintState("idle");
  refreshPreview();
}

start();

window.confpackEditor = {
  view,
  setText,
  getText: () => view.state.doc.toString(),
  lintNow,
};
