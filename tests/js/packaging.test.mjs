// The packed tarball installs into an empty project and works by name from both module systems.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
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
  // Cloudflare's workerd (wrangler, Miniflare) first: it may also set browser or node.
  assert.deepEqual(Object.keys(entry)[0], "workerd");
  assert.deepEqual(entry.workerd, { types: "./index.d.mts", default: "./web/workerd.js" });
  const targets = [entry.workerd, entry.browser, entry.node.import, entry.node.require, entry.import, entry.default, manifest.exports["./slim"]]
    .flatMap((conditions) => [conditions.types, conditions.default]);
  for (const target of [...targets, manifest.types, manifest.main, manifest.browser, manifest.exports["./sezzle_session_bg.wasm"]]) {
    assert.ok(existsSync(join(installed, target)), `${target} is in the tarball`);
  }
  // npm keeps a bin path only when it has no "./" (npm publish warns and drops it otherwise).
  assert.deepEqual(manifest.bin, { "sezzle-session": "cli.mjs" });
  assert.ok(manifest.description && manifest.keywords.length > 0 && manifest.license === "MIT");
});

test("the tarball carries the licence, changelog, readme, both wasm modules and the entries", () => {
  for (const file of ["LICENSE", "CHANGELOG.md", "README.md", "web/sezzle_session_bg.wasm", "web/sezzle_session_client_bg.wasm", "node/index.mjs", "node/index.cjs", "node/sezzle-session-client.cjs", "web/index.js", "web/slim.js"]) {
    assert.ok(existsSync(join(installed, file)), file);
  }
  assert.ok(!existsSync(join(installed, "src")), "no Rust sources in the package");
  // Each Node entry is one file (scripts/build-pkg.mjs) that loads one other of the package's
  // own, the client's, and only with a require() a Node bundler follows (the ES module also
  // through createRequire, beside itself); the client's file loads none.
  const loads = /(?:from|require\(|import\(|createRequire\(import\.meta\.url\)\()\s*["'](\.\.?\/[^"']*)["']/g;
  const loaded = (file) => [...readFileSync(join(installed, file), "utf8").matchAll(loads)].map((m) => m[1]);
  assert.deepEqual(loaded("node/index.cjs"), ["./sezzle-session-client.cjs"]);
  assert.deepEqual(loaded("node/index.mjs"), ["./sezzle-session-client.cjs", "./sezzle-session-client.cjs"]);
  assert.match(readFileSync(join(installed, "node/index.mjs"), "utf8"), /\brequire\("\.\/sezzle-session-client\.cjs"\)/, "a plain require, which bundlers follow");
  assert.doesNotMatch(readFileSync(join(installed, "node/index.mjs"), "utf8"), /__require/, "no esbuild helper in place of require");
  assert.deepEqual(loaded("node/sezzle-session-client.cjs"), []);
  // The browser files import their chunks, beside them: every file a browser file imports or
  // locates by URL (what bundlers follow) is in the package.
  for (const file of readdirSync(join(installed, "web")).filter((name) => name.endsWith(".js"))) {
    const source = readFileSync(join(installed, "web", file), "utf8");
    for (const [, path] of source.matchAll(/(?:from|import\()\s*["'](\.[^"']+)["']/g)) {
      assert.ok(existsSync(join(installed, "web", path)), `web/${file} imports ${path}, which is not in the package`);
    }
    for (const [, path] of source.matchAll(/new URL\(\s*["']([^"']+)["'],\s*import\.meta\.url\s*\)/g)) {
      assert.ok(existsSync(join(installed, "web", path)), `web/${file} points at ${path}, which is not in the package`);
    }
  }
});

// The files web/index.js loads: itself, its static imports, and (with `dynamic`) the chunks
// it imports on demand, and theirs.
function webGraph(entry, { dynamic }) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(join(installed, "web", file), "utf8");
    const pattern = dynamic ? /(?:from|import\()\s*["']\.\/([^"']+)["']/g : /from\s*["']\.\/([^"']+)["']/g;
    for (const [, path] of source.matchAll(pattern)) visit(path);
  };
  visit(entry);
  return [...seen];
}

test("the zero-configuration entries locate no file, have no top-level await, and import the client only on demand", () => {
  const texts = (files) => files.map((file) => [file, readFileSync(join(installed, file), "utf8")]);
  const atImport = texts(["node/index.mjs", "node/index.cjs", ...webGraph("index.js", { dynamic: false }).map((f) => `web/${f}`)]);
  const onDemand = texts([...webGraph("index.js", { dynamic: true }).map((f) => `web/${f}`), "node/sezzle-session-client.cjs"]);
  for (const [file, source] of [...atImport, ...onDemand]) {
    // (The Node ES module finds the client's file beside itself: the test above.)
    const own = file === "node/index.mjs" ? source.replace('createRequire(import.meta.url)("./sezzle-session-client.cjs")', "") : source;
    assert.doesNotMatch(own, /import\.meta\.url|__dirname|readFileSync|\.wasm["'`]/, `${file} reads a file`);
    assert.doesNotMatch(source, /^await |^const .* = await /m, `${file} has a top-level await`);
  }
  const [[, esm], [, cjs]] = atImport;
  // Each Node entry inlines the parser module; the client module is in the client's file.
  for (const source of [esm, cjs]) {
    assert.match(source, /PARSER_WASM = "AGFzbQ/);
    assert.doesNotMatch(source, /CLIENT_WASM|GatewayClient|get_session/);
  }
  assert.match(onDemand.at(-1)[1], /CLIENT_WASM = "AGFzbQ[^]*GatewayClient/, "node/sezzle-session-client.cjs inlines the client module and its code");
  // In browsers the parser module is inlined (as hex) in what the import loads; the client
  // module, and the client's code, only in the chunk its first call imports.
  const browser = atImport.slice(2).map(([, source]) => source).join("\n");
  assert.match(browser, /PARSER_WASM = "0061736d/);
  assert.doesNotMatch(browser, /CLIENT_WASM|GatewayClient|get_session/);
  // (gzip-compressed, as base64: js/web/client-inline.js unpacks it)
  const chunks = onDemand.map(([, source]) => source).join("\n");
  assert.match(chunks, /GatewayClient/);
  const packed = /CLIENT_WASM_GZIP = "([A-Za-z0-9+/=]+)"/.exec(chunks);
  assert.ok(packed, "the client's chunk inlines the client module");
  const module = gunzipSync(Buffer.from(packed[1], "base64"));
  assert.deepEqual([...module.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], "a WebAssembly module");
  assert.deepEqual(module, readFileSync(join(installed, "web", "sezzle_session_client_bg.wasm")), "the same module the slim entry loads");
});

test("the workerd entry imports each module as a module: the parser's on import, getSession's and the client's only in the chunks their first calls import", () => {
  const wasmImports = (files) =>
    files.flatMap((file) => [...readFileSync(join(installed, "web", file), "utf8").matchAll(/^import \w+ from "\.\/(sezzle_session\w*\.wasm)";$/gm)].map((m) => m[1]));
  const js = (files) => files.filter((file) => file.endsWith(".js"));
  const atImport = js(webGraph("workerd.js", { dynamic: false }));
  const all = js(webGraph("workerd.js", { dynamic: true }));
  assert.deepEqual(wasmImports(atImport), ["sezzle_session_bg.wasm"]);
  assert.deepEqual(wasmImports(all).sort(), ["sezzle_session_bg.wasm", "sezzle_session_client_bg.wasm", "sezzle_session_get_bg.wasm"]);
  for (const file of all) {
    const source = readFileSync(join(installed, "web", file), "utf8");
    // A worker compiles no bytes (workerd refuses at request time): nothing inlined.
    assert.doesNotMatch(source, /PARSER_WASM|CLIENT_WASM|GET_WASM/, `web/${file} inlines a module`);
    assert.doesNotMatch(source, /^await |^const .* = await /m, `web/${file} has a top-level await`);
  }
});

// A build that does not take a .wasm import as a compiled module (esbuild's own loaders give
// its bytes or its URL): importing the workerd entry fails with a SezzleError that says what
// the entry needs, not with whatever the glue meets first.
test("the workerd entry built by a bundler that gives a .wasm import's bytes or URL says it needs a compiled module", async () => {
  const { build } = await import(join(root, "node_modules", "esbuild", "lib", "main.js"));
  const dir = join(consumer, "workerd-misbuilt");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const [loader, got] of [["binary", "its bytes"], ["file", "a string"]]) {
    const outfile = join(dir, `${loader}.mjs`);
    await build({ entryPoints: [join(installed, "web", "workerd.js")], bundle: true, format: "esm", platform: "neutral", target: "es2022", outfile, loader: { ".wasm": loader }, logLevel: "silent" });
    await assert.rejects(import(pathToFileURL(outfile).href), (error) => {
      assert.equal(error.name, "SezzleError");
      assert.equal(error.kind, "internal");
      assert.match(error.message, new RegExp(`imports sezzle_session_bg\\.wasm as a compiled WebAssembly\\.Module, and the build gave ${got}: build the worker with wrangler`));
      return true;
    });
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
