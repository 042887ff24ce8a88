// Build pipeline/serve/static/editor.js (one minified ES module) and
// editor.js.LICENSES.txt (the licence of every package bundled into it).
// Usage: cd tools/editor && npm ci && npm run build
import { build } from "esbuild";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, "../../pipeline/serve/static");
const outFile = join(outDir, "editor.js");

const result = await build({
  absWorkingDir: here,
  entryPoints: ["src/app.js"],
  outfile: outFile,
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  legalComments: "none", // licences go, in full, to editor.js.LICENSES.txt
  banner: { js: "/* confpack editor. Source: tools/editor/src/app.js. Licences: editor.js.LICENSES.txt */" },
  charset: "utf8",
  metafile: true,
  logLevel: "info",
});

// Every node_modules package that contributed bytes to the bundle.
const packages = new Map();
for (const [input, info] of Object.entries(result.metafile.outputs[relative(here, outFile)].inputs)) {
  if (info.bytesInOutput === 0) continue;
  const parts = input.split(/[\\/]/);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) continue;
  const nameParts = parts[at + 1].startsWith("@") ? parts.slice(at + 1, at + 3) : parts.slice(at + 1, at + 2);
  const root = join(here, ...parts.slice(0, at + 1), ...nameParts);
  const name = nameParts.join("/");
  const entry = packages.get(name) ?? { root, bytes: 0 };
  entry.bytes += info.bytesInOutput;
  packages.set(name, entry);
}

const sections = [];
for (const name of [...packages.keys()].sort()) {
  const { root } = packages.get(name);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const licenceFile = readdirSync(root).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  if (!licenceFile) throw new Error(`${name}: no LICENSE file found in ${root}`);
  const text = readFileSync(join(root, licenceFile), "utf8").trim();
  sections.push([
    "=".repeat(78),
    `${name}@${pkg.version}  (${pkg.license ?? "see below"})`,
    pkg.repository ? `Source: ${typeof pkg.repository === "string" ? pkg.repository : pkg.repository.url}` : null,
    "=".repeat(78),
    "",
    text,
    "",
  ].filter((l) => l !== null).join("\n"));
}

const header = [
  "Third-party software bundled into editor.js",
  "",
  "editor.js is built from tools/editor/src/app.js (part of confpack) and the",
  "packages below. Each package's licence text follows.",
  "",
  ...[...packages.keys()].sort().map((n) => {
    const pkg = JSON.parse(readFileSync(join(packages.get(n).root, "package.json"), "utf8"));
    return `  ${n}@${pkg.version}  ${pkg.license}`;
  }),
  "",
  "",
].join("\n");
writeFileSync(`${outFile}.LICENSES.txt`, header + sections.join("\n"));

const size = readFileSync(outFile).length;
console.log(`editor.js: ${(size / 1024).toFixed(1)} KiB from ${packages.size} packages`);
for (const name of [...packages.keys()].sort()) {
  console.log(`  ${name.padEnd(32)} ${(packages.get(name).bytes / 1024).toFixed(1).padStart(7)} KiB`);
}
if (!existsSync(join(outDir, "index.html"))) console.warn(`note: ${relative(here, outDir)}${sep}index.html is missing`);
