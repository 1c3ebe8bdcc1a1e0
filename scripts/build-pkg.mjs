// Assembles pkg/ from wasm-pack's two outputs (pkg/node: CommonJS glue for Node,
// pkg/web: ES module glue for browsers) and the hand-written files in js/.
import { readFileSync, writeFileSync, copyFileSync, rmSync, existsSync, chmodSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const pkg = join(root, "pkg");
const js = join(root, "js");

// wasm-pack writes a package.json, README and .gitignore per output; ours replaces them.
for (const dir of ["node", "web"]) {
  for (const file of ["package.json", "README.md", ".gitignore", "LICENSE", "LICENSE-MIT"]) {
    rmSync(join(pkg, dir, file), { force: true });
  }
  if (!existsSync(join(pkg, dir, "sezzle_session_bg.wasm"))) {
    throw new Error(`pkg/${dir} has no wasm: run wasm-pack build first`);
  }
}

// The API is written once as ES modules; each CommonJS copy turns `import {..} from "./x.js"`
// into a require of ./x.cjs, drops `export` and lists the exported names in module.exports.
const exported = [];
for (const name of ["client", "api"]) {
  const source = readFileSync(join(js, `${name}.js`), "utf8");
  const names = [...source.matchAll(/^export (?:class|function|const) (\w+)/gm)].map((m) => m[1]);
  if (name === "api") exported.push(...names);
  writeFileSync(join(pkg, `${name}.mjs`), source.replace(/^(import .* from "\.\/\w+)\.js";$/gm, '$1.mjs";'));
  const common = source
    .replace(/^import (\{[^}]*\}) from "\.\/(\w+)\.js";$/gm, 'const $1 = require("./$2.cjs");')
    .replace(/^export /gm, "");
  if (/^import /m.test(common)) throw new Error(`js/${name}.js: an import the CommonJS copy cannot take`);
  writeFileSync(join(pkg, `${name}.cjs`), `"use strict";\n${common}\nmodule.exports = { ${names.join(", ")} };\n`);
}

copyFileSync(join(js, "cli.mjs"), join(pkg, "cli.mjs"));
chmodSync(join(pkg, "cli.mjs"), 0o755);
copyFileSync(join(js, "node", "index.cjs"), join(pkg, "node", "index.cjs"));
copyFileSync(join(js, "node", "index.mjs"), join(pkg, "node", "index.mjs"));
copyFileSync(join(js, "web", "index.js"), join(pkg, "web", "index.js"));
writeFileSync(join(pkg, "node", "package.json"), `{ "type": "commonjs" }\n`);
writeFileSync(join(pkg, "web", "package.json"), `{ "type": "module" }\n`);
copyFileSync(join(js, "index.d.ts"), join(pkg, "index.d.ts"));
for (const file of ["README.md", "LICENSE", "CHANGELOG.md"]) copyFileSync(join(root, file), join(pkg, file));

// One version: the crate's.
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const version = cargo.match(/^version = "([^"]+)"/m)?.[1];
if (!version) throw new Error("no version in Cargo.toml");
const manifest = JSON.parse(readFileSync(join(js, "package.json"), "utf8"));
manifest.version = version;
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`pkg/ assembled: sezzle-session@${version}, exports ${exported.join(", ")}`);
