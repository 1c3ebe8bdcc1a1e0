// The packed tarball installs into an empty project and works by name from both module systems.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { cjs, consumer, esm, installed, root } from "./packed.mjs";

const EXPORTS = ["parseSession", "safeParseSession", "checkoutUrl", "approvalUrl", "findLink", "SezzleError", "MAX_INPUT_BYTES"];

test("import and require by name expose every export", () => {
  for (const name of EXPORTS) {
    assert.notEqual(esm[name], undefined, `ESM export ${name}`);
    assert.notEqual(cjs[name], undefined, `CJS export ${name}`);
  }
});

test("an error from require is instanceof the SezzleError of import, and the reverse", () => {
  for (const [thrower, other] of [[cjs, esm], [esm, cjs]]) {
    try {
      thrower.parseSession("{");
      assert.fail("should throw");
    } catch (error) {
      assert.ok(error instanceof other.SezzleError);
      assert.ok(error instanceof thrower.SezzleError);
      assert.ok(!(new Error("x") instanceof other.SezzleError));
    }
  }
});

// Each entry keeps its instance to itself: an object planted where 0.1.0 looked for a shared
// instance (code that runs first, say a compromised dependency) is never used.
test("an instance planted in a global before the package loads is ignored", () => {
  const script = `
    const version = JSON.parse(require("node:fs").readFileSync(require.resolve("sezzle-session/package.json"), "utf8")).version;
    const evil = { checkoutUrl: () => "https://evil.example/pay", parseSession: () => ({ uuid: "planted" }) };
    const planted = Object.freeze({ api: evil, wasm: {}, memory: {} });
    Object.defineProperty(globalThis, Symbol.for("sezzle-session@" + version), { value: planted });
    const results = [];
    const check = (api) => {
      let refused = false;
      try { api.checkoutUrl({ uuid: "s", order: { uuid: "o", checkout_url: "https://evil.example/pay" } }); } catch (error) { refused = error.kind === "validation"; }
      results.push(refused, api.parseSession('{"uuid":"real"}').uuid);
    };
    check(require("sezzle-session"));
    import("sezzle-session").then((esm) => { check(esm); console.log(JSON.stringify(results)); });`;
  const out = execFileSync(process.execPath, ["-e", script], { cwd: consumer, encoding: "utf8" });
  assert.deepEqual(JSON.parse(out), [true, "real", true, "real"]);
});

test("package.json maps node import, node require, browsers, the slim entry and a types file for each", () => {
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  const entry = manifest.exports["."];
  assert.equal(manifest.name, "sezzle-session");
  assert.match(manifest.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  // ES module entries are typed by .d.mts (no default export), CommonJS ones by .d.cts.
  assert.deepEqual(entry.node, {
    import: { types: "./index.d.mts", default: "./node/index.mjs" },
    require: { types: "./index.d.cts", default: "./node/index.cjs" },
  });
  assert.deepEqual(entry.browser, { types: "./index.d.mts", default: "./web/index.js" });
  // For bundlers that read no "exports" (Parcel 2 unless configured): without it they take
  // "main", the Node build, and its Buffer (tests/bundlers).
  assert.equal(manifest.browser, "./web/index.js");
  assert.deepEqual(manifest.exports["./slim"], { types: "./slim.d.mts", default: "./web/slim.js" });
  const targets = [entry.browser, entry.node.import, entry.node.require, entry.import, entry.default, manifest.exports["./slim"]]
    .flatMap((conditions) => [conditions.types, conditions.default]);
  for (const target of [...targets, manifest.types, manifest.main, manifest.browser, manifest.exports["./sezzle_session_bg.wasm"]]) {
    assert.ok(existsSync(join(installed, target)), `${target} is in the tarball`);
  }
  // npm keeps a bin path only when it has no "./" (npm publish warns and drops it otherwise).
  assert.deepEqual(manifest.bin, { "sezzle-session": "cli.mjs" });
  assert.ok(manifest.description && manifest.keywords.length > 0 && manifest.license === "MIT");
});

test("the tarball carries the licence, changelog, readme, one wasm module and one file per entry", () => {
  for (const file of ["LICENSE", "CHANGELOG.md", "README.md", "web/sezzle_session_bg.wasm", "node/index.mjs", "node/index.cjs", "web/index.js", "web/slim.js"]) {
    assert.ok(existsSync(join(installed, file)), file);
  }
  assert.ok(!existsSync(join(installed, "src")), "no Rust sources in the package");
  // Each entry is one file (scripts/build-pkg.mjs): it imports nothing of the package's own,
  // and every file it locates by URL (what bundlers follow) is in the package.
  for (const entry of ["node/index.mjs", "node/index.cjs", "web/index.js", "web/slim.js"]) {
    const source = readFileSync(join(installed, entry), "utf8");
    assert.doesNotMatch(source, /(?:from|require\()\s*["']\.\.?\//, `${entry} loads another file of the package`);
    for (const [, path] of source.matchAll(/new URL\(\s*["']([^"']+)["'],\s*import\.meta\.url\s*\)/g)) {
      assert.ok(existsSync(join(installed, dirname(entry), path)), `${entry} points at ${path}, which is not in the package`);
    }
  }
});

test("the zero-configuration entries locate no file: the module is inlined, no top-level await", () => {
  for (const entry of ["node/index.mjs", "node/index.cjs", "web/index.js"]) {
    const source = readFileSync(join(installed, entry), "utf8");
    assert.doesNotMatch(source, /import\.meta\.url|__dirname|readFileSync|\.wasm["'`]/, `${entry} reads a file`);
    assert.doesNotMatch(source, /^await |^const .* = await /m, `${entry} has a top-level await`);
    assert.match(source, /WASM_BASE64 = "AGFzbQ/, `${entry} inlines the module`);
  }
});

test("npm publish --dry-run accepts the package without a warning", () => {
  const result = spawnSync("npm", ["publish", "--dry-run", "--json"], { cwd: join(root, "pkg"), encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  // (Being logged in is not the package's business: npm warns of it on every dry run.)
  const warnings = result.stderr.split("\n").filter((line) => /npm warn/i.test(line) && !/requires you to be logged in/.test(line));
  assert.deepEqual(warnings, []);
  const out = result.stdout;
  const report = JSON.parse(out.slice(out.indexOf("{")));
  const published = report["sezzle-session"] ?? report;
  assert.equal(published.name, "sezzle-session");
  assert.ok(published.files.some((f) => f.path === "node/index.cjs"));
});
