// Assembles pkg/ from wasm-pack's output and the hand-written files in js/. The crate gives three
// WebAssembly modules (Cargo features select each one's exports): the parser module
// (target/glue-parser, `js-parser`), the client module (target/glue-client, `js-client`) and
// the getSession module (target/glue-get, `js-get`: getSession alone, for browsers), each with
// its ES module glue.
//
// Each Node entry is bundled with esbuild into one file, node/index.mjs (import) and
// node/index.cjs (require), the parser module's bytes inlined as base64 (in a fresh Node
// process each file the loader resolves costs time); the client, its module inlined the same
// way, is node/sezzle-session-client.cjs, which the first client call loads synchronously
// (getSession's too: in Node the client module serves it) and which Node bundlers follow.
// The browser entries, web/index.js (the parser module inlined as hex) and web/slim.js (which
// loads web/sezzle_session_bg.wasm when init() is called), each re-export a parser half and a
// client half, built together with code splitting: each reaches the client through a dynamic
// import() of a chunk of its own (web/client-inline-*.js with the client module inlined,
// web/client-file-*.js that loads web/sezzle_session_client_bg.wasm; for getSession,
// web/get-inline-*.js and web/get-file-*.js with the getSession module), so a bundler splits
// it off and a parse-only app holds none of it, and an app that calls only getSession holds
// no authentication. The bundles keep names and comments: what runs is what js/ says.
import { readFileSync, readdirSync, writeFileSync, copyFileSync, rmSync, existsSync, chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { gzipAsync } from "@gfx/zopfli";

const root = new URL("..", import.meta.url).pathname;
const pkg = join(root, "pkg");
const js = join(root, "js");
const glues = { parser: join(root, "target", "glue-parser"), client: join(root, "target", "glue-client"), get: join(root, "target", "glue-get") };
for (const [name, dir] of Object.entries(glues)) {
  if (!existsSync(join(dir, "sezzle_session_bg.wasm"))) throw new Error(`${dir} has no wasm: \`make build\` builds the ${name} module there first`);
}

// One version: the crate's.
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const version = cargo.match(/^version = "([^"]+)"/m)?.[1];
if (!version) throw new Error("no version in Cargo.toml");

rmSync(pkg, { recursive: true, force: true });
mkdirSync(join(pkg, "node"), { recursive: true });
mkdirSync(join(pkg, "web"), { recursive: true });

// The glue keeps its instance, its table of JS values and its closures in module scope, so
// one glue can serve one instance at a time. After a trap the package needs a fresh instance
// while calls still in flight on the old one finish, fail or are dropped (js/api.js,
// generations): each generation gets a glue of its own. So the glue becomes a factory,
// createGlue(onFailure), whose every call makes a new scope, and two things are added to it:
// - a closure the old instance scheduled (a timer, a promise reaction, a listener, the
//   futures queue) that traps or runs out of stack reports it to onFailure instead of
//   throwing where nobody can catch it;
// - retire(): from then on every such closure, and the finalizers, return at once without
//   entering the old instance.
// The async loader (and its `new URL("….wasm", import.meta.url)`, which sends bundlers
// looking for a file) is left out: the entries compile the module themselves.
// (Added to a glue whose module calls back into JS: glueFactory.)
const VIA_PROXIES = `// The instance's exports, each function behind a Proxy with no traps (a module whose calls
// call back into JS: the client's). V8 11 (Node 20; Chromium 112 to 118) inlines a JS call
// into WebAssembly into optimized JS, and crashes the process ("Fatal error … unreachable
// code", Deoptimizer::DoComputeBuiltinContinuation) when that JS is deoptimized while the
// call runs JS: 5 of 50 Node 20 processes making 8,000 getSession calls each died. No call
// through a Proxy is inlined: 0 of 50 (tests/js/v8-crash.test.mjs). A call through one costs
// tens of nanoseconds, and the client makes a few per request. (Turning the inlining off
// with v8.setFlagsFromString worked too, but a changed flag makes V8 refuse Node's code cache
// for every built-in module loaded afterwards: the first getSession took 17 ms longer.)
function viaProxies(exports) {
  const wrapped = {};
  for (const [name, value] of Object.entries(exports)) wrapped[name] = typeof value === "function" ? new Proxy(value, {}) : value;
  return wrapped;
}
`;

function glueFactory(source, path) {
  const expect = (ok, what) => {
    if (!ok) throw new Error(`${path}: the glue no longer has ${what} as build-pkg expects; update glueFactory`);
  };
  expect(/^let wasmModule, wasmInstance, wasm;$/m.test(source), "its instance in module scope");
  // (The parser module's glue makes no closures and registers no finalizers: only the
  // client's has these to guard.)
  const closures = source.includes("function makeMutClosure(");
  const closureBody = /( {4}const real = \(\.\.\.args\) => \{\n)/;
  expect(!closures || closureBody.test(source), "makeMutClosure's real()");
  const loaderAt = source.indexOf("async function __wbg_load(");
  const initSyncAt = source.indexOf("function initSync(");
  const initAt = source.indexOf("let __wbg_init_promise;");
  expect(loaderAt >= 0 && initSyncAt > loaderAt && initAt > initSyncAt, "__wbg_load, initSync and __wbg_init in that order");
  let body = source.slice(0, loaderAt) + source.slice(initSyncAt, initAt);
  // initSync(module), given the compiled module (js/host.js asks WebAssembly.Module.exports of
  // it first): wasm-bindgen's also takes bytes, `{ module }` and a deprecated form with its
  // console warning, which a glue made for one instance never needs (its bytes in every
  // entry that loads the module).
  const initSyncPattern = /^function initSync\(module\) \{\n[^]*?\n\}\n/m;
  const initSyncBody = body.match(initSyncPattern)?.[0] ?? "";
  expect(initSyncBody.includes("new WebAssembly.Instance(module, imports)") && initSyncBody.includes("return __wbg_finalize_init(instance, module);"), "initSync(module) making the instance and finishing with __wbg_finalize_init");
  body = body.replace(initSyncPattern, "function initSync(module) {\n    return __wbg_finalize_init(new WebAssembly.Instance(module, __wbg_get_imports()), module);\n}\n");
  // The snippets the crate imports (src/client/attempt.js) stay module imports, above the
  // factory: they hold no state. (wasm-bindgen writes a namespace import, for the functions
  // the module imports directly, without its semicolon.)
  const imports = [];
  body = body.replace(/^import [^;\n]+;?\n/gm, (line) => {
    imports.push(line);
    return "";
  });
  const names = [];
  body = body.replace(/^export (function|class) (\w+)/gm, (_, kind, name) => {
    names.push(name);
    return `${kind} ${name}`;
  });
  expect(names.length > 0 && !/^export /m.test(body) && !/^import /m.test(body), "only function and class exports, and imports on one line each");
  // A module that calls back into JS (through the snippets it imports, or closures): every
  // export the glue calls, through a Proxy (see viaProxies below).
  const callsBack = closures || imports.length > 0;
  if (callsBack) {
    expect(/^    wasm = instance\.exports;$/m.test(body), "wasm = instance.exports in __wbg_finalize_init");
    body = body.replace(/^    wasm = instance\.exports;$/m, "    wasm = viaProxies(instance.exports);");
  }
  if (closures) {
    // Every closure call, guarded: retired, it does nothing; a trap is reported, not thrown.
    body = body.replace(closureBody, `$1        if (retired) return;\n        try {\n`);
    const tail = /( {8}try \{\n {12}return f\(a, state\.b, \.\.\.args\);\n {8}\} finally \{\n {12}state\.a = a;\n {12}real\._wbg_cb_unref\(\);\n {8}\}\n)/;
    expect(tail.test(body), "makeMutClosure's call of f");
    body = body.replace(tail, `$1        } catch (error) {\n            if (!failed(error)) throw error;\n        }\n`);
  }
  if (!callsBack) {
    // A module that calls no JS back (the parser's): each call into it is marked while it runs
    // (plain assignments, which need no stack). A call that never returned, because the stack
    // ran out inside the instance and what caught that had no stack left to report it (seen in
    // Bun, whose engine checks the stack at each wasm function's entry), leaves the mark: the
    // instance's state may be half-changed, and js/host.js replaces it at the next call.
    // (The exports that only answer an address change nothing: not marked.)
    const calls = /^( {4})const ret = (wasm\.(?!\w+_address\()\w+\([^)]*\));$/gm;
    expect(calls.test(body), "its exports' calls as `const ret = wasm.name(...);`");
    body = body.replace(calls, "$1calling = true;\n$1const ret = $2;\n$1calling = false;");
  }
  // Finalizers free nothing in a retired instance (it may be the broken one).
  const finalizers = /new FinalizationRegistry\((\w+) => (wasm\.[^;]+)\);/g;
  expect(!body.includes("new FinalizationRegistry(") || (body.match(finalizers) ?? []).length >= 1, "its FinalizationRegistry finalizers in the form glueFactory guards");
  body = body.replace(finalizers, "new FinalizationRegistry($1 => { if (!retired) try { $2; } catch (error) { failed(error); } });");
  return `${imports.join("")}import { isFailure } from ${JSON.stringify(join(js, "errors.js"))};
// Made a factory by scripts/build-pkg.mjs (glueFactory says how and why).
export function createGlue(onFailure) {
let retired = false;
// Whether a call into the instance is under way (the parser's glue marks each; see above).
let calling = false;
// A failure of the module (a trap, or the stack running out: js/errors.js's isFailure, the
// package's one rule for it) inside a closure of this instance: reported, and true.
function failed(error) {
  if (!isFailure(error)) return false;
  retired = true;
  try {
    onFailure(error);
  } catch {}
  return true;
}
${callsBack ? VIA_PROXIES : ""}${body}
return {
  initSync,
  calling: () => calling,
  retire() {
    retired = true;
  },
  exports: { ${names.join(", ")} },
};
}
`;
}
const glueAsFactory = {
  name: "glue-factory",
  setup(build) {
    build.onLoad({ filter: /[\\/]sezzle_session\.js$/ }, ({ path }) => ({ contents: glueFactory(readFileSync(path, "utf8"), path), loader: "js" }));
  },
};

// Each module's bytes as one string, for the entries that inline them: base64 in the Node
// entries (the shortest text, decoded natively by Buffer); in the browser ones the parser's
// as hex (it gzips to about a fifth less than base64: js/web/hex.js), the client's and the
// getSession module's gzip compressed, as base64 (js/web/unpack.js unpacks them).
const wasmOf = (name) => readFileSync(join(glues[name], "sezzle_session_bg.wasm"));
// The gzip is zopfli's (@gfx/zopfli, Google's zopfli compiled to wasm): the same format, which
// DecompressionStream reads, 7% smaller than zlib's -9 (the getSession module 46.2 -> 43.0 KB,
// the client module 65.3 -> 61.2), for about a second of build per module. Made once a module.
const packed = new Map();
const gzipped = (name) => {
  if (!packed.has(name)) packed.set(name, gzipAsync(wasmOf(name), { numiterations: 15 }).then((gz) => Buffer.from(gz).toString("base64")));
  return packed.get(name);
};
const inlined = (encoding) => ({
  name: "wasm-inlined",
  setup(build) {
    build.onResolve({ filter: /^sezzle-session-(parser|client|get)-bytes$/ }, ({ path }) => ({ path, namespace: "wasm-inlined" }));
    build.onLoad({ filter: /.*/, namespace: "wasm-inlined" }, async ({ path }) => {
      const name = path.match(/^sezzle-session-(\w+)-bytes$/)[1];
      const contents =
        encoding === "web" && name !== "parser"
          ? `export const ${name.toUpperCase()}_WASM_GZIP = "${await gzipped(name)}";\n`
          : `export const ${name.toUpperCase()}_WASM = "${wasmOf(name).toString(encoding === "web" ? "hex" : encoding)}";\n`;
      return { contents, loader: "js" };
    });
  },
});

// A snippet of the crate's own JS (src/client/attempt.js, which wasm-bindgen copies beside each
// glue) resolves to the file itself: js/client.js imports it too, and a bundle holds it once.
const ownSnippets = {
  name: "own-snippets",
  setup(build) {
    build.onResolve({ filter: /[\\/]snippets[\\/]sezzle-session-[0-9a-f]+[\\/]/ }, ({ path }) => ({
      path: join(root, path.replace(/^.*[\\/]snippets[\\/]sezzle-session-[0-9a-f]+[\\/]/, "")),
    }));
  },
};

// web/workerd.js's parts import the modules as modules (`import … from "./….wasm"`), which the
// worker's own bundler (wrangler) or workerd itself resolves: kept as they are, beside the files.
const wasmModules = {
  name: "wasm-modules",
  setup(build) {
    build.onResolve({ filter: /^\.\/sezzle_session(_get|_client)?_bg\.wasm$/ }, ({ path }) => ({ path, external: true }));
  },
};

const common = {
  bundle: true,
  target: "es2022",
  alias: {
    "sezzle-session-glue": join(glues.parser, "sezzle_session.js"),
    "sezzle-session-client-glue": join(glues.client, "sezzle_session.js"),
    "sezzle-session-get-glue": join(glues.get, "sezzle_session.js"),
  },
  // No keepNames: its __name() wrapper runs each time a function is made, and the parse
  // path makes some per call (measured: parseSession of the seed 25 to 40% slower). The
  // public classes set their own names (js/errors.js, js/lazy.js).
  define: { __VERSION__: JSON.stringify(version) },
  // esbuild warns of the glue's import.meta.url before it drops the loader that reads it,
  // which no Node bundle holds (the packaging test checks the files entries point at).
  logOverride: { "empty-import-meta": "silent" },
  logLevel: "warning",
};
// The Node client's file uses the entry's js/errors.js, not a copy: its errors are the very
// SezzleErrors the entry exports. js/errors.js resolves there to bindings that
// js/node/client.js's makeClient sets from the entry's module (nothing in the client's code
// uses them before it runs).
const entryErrors = {
  name: "entry-errors",
  setup(build) {
    build.onResolve({ filter: /(^|[\\/])errors\.js$/ }, () => ({ path: "errors", namespace: "entry-errors" }));
    build.onLoad({ filter: /.*/, namespace: "entry-errors" }, () => {
      const names = [...readFileSync(join(js, "errors.js"), "utf8").matchAll(/^export (?:function|class|const) (\w+)/gm)].map((m) => m[1]);
      return { contents: `export let ${names.join(", ")};\nexport function useErrors(errors) {\n  ({ ${names.join(", ")} } = errors);\n}\n`, loader: "js" };
    });
  },
};
for (const [source, out, format] of [["node/import.js", "node/index.mjs", "esm"], ["node/require.js", "node/index.cjs", "cjs"], ["node/client.js", "node/sezzle-session-client.cjs", "cjs"]]) {
  await build({
    ...common,
    entryPoints: [join(js, source)],
    outfile: join(pkg, out),
    format,
    platform: "node",
    external: ["./sezzle-session-client.cjs"],
    plugins: [glueAsFactory, ownSnippets, inlined("base64"), ...(source === "node/client.js" ? [entryErrors] : [])],
    banner: { js: `// sezzle-session ${version}: built from js/${source} by scripts/build-pkg.mjs.` },
  });
}
// In an ES module esbuild writes a require() as a call of its own helper, __require, which a
// bundler does not follow: node/index.mjs keeps the plain require of the client's file that
// js/node/import.js writes (used in a Node bundle only), and not the helper.
{
  const file = join(pkg, "node", "index.mjs");
  const helper = /^var __require = [^]*?\n\}\);\n/m;
  let text = readFileSync(file, "utf8");
  if (!helper.test(text) || text.match(/__require/g).length !== 3) throw new Error("node/index.mjs: esbuild's __require is not what build-pkg.mjs expects");
  text = text.replace(helper, "").replace(/\b__require\b/g, "require");
  writeFileSync(file, text);
}
await build({
  ...common,
  // Each entry in three parts, a file each (js/web/index.js and slim.js, copied as they are,
  // only re-export them): a bundler drops the part an app does not use.
  entryPoints: Object.fromEntries(
    ["index", "slim", "workerd"].flatMap((entry) => ["parser", "get", "client"].map((part) => `${entry}-${part}`)).map((name) => [name, join(js, "web", `${name}.js`)]),
  ),
  outdir: join(pkg, "web"),
  splitting: true,
  // Beside the entries and the .wasm files: the file chunk finds the client module beside itself.
  chunkNames: "[name]-[hash]",
  format: "esm",
  platform: "browser",
  plugins: [glueAsFactory, ownSnippets, inlined("web"), wasmModules],
  banner: { js: `// sezzle-session ${version}: built from js/web/ by scripts/build-pkg.mjs.` },
});
for (const entry of ["index.js", "slim.js", "workerd.js"]) copyFileSync(join(js, "web", entry), join(pkg, "web", entry));
// sezzle-session/mock: the mock gateway for users' tests, with the valid fixtures' sessions
// (the seed's first: its uuid answers with it).
const validDir = join(root, "tests", "fixtures", "valid");
const fixtureNames = readdirSync(validDir).filter((n) => n.endsWith(".json")).sort((a, b) => (b === "seed.json") - (a === "seed.json") || a.localeCompare(b));
const fixtureTexts = fixtureNames.map((name) => [name.replace(/\.json$/, ""), readFileSync(join(validDir, name), "utf8")]);
const mockFixtures = {
  name: "mock-fixtures",
  setup(build) {
    build.onResolve({ filter: /^sezzle-session-mock-fixtures$/ }, () => ({ path: "fixtures", namespace: "mock-fixtures" }));
    build.onLoad({ filter: /.*/, namespace: "mock-fixtures" }, () => ({
      contents: `export const FIXTURES = ${JSON.stringify(fixtureTexts)};\n`,
      loader: "js",
    }));
  },
};
// An ES module and a CommonJS one, so that `require("sezzle-session/mock")` works on every
// Node the package supports (Node 20 cannot require an ES module).
for (const [format, outfile] of [["esm", "mock.mjs"], ["cjs", "mock.cjs"]]) {
  await build({
    entryPoints: [join(js, "mock.mjs")],
    outfile: join(pkg, outfile),
    bundle: true,
    format,
    platform: "node",
    target: "es2022",
    keepNames: true,
    // (CommonJS has no import.meta: the command-line part of mock.mjs then never runs.)
    define: format === "cjs" ? { "import.meta.url": "undefined" } : {},
    plugins: [mockFixtures],
    banner: { js: `// sezzle-session ${version}: built from js/mock.mjs by scripts/build-pkg.mjs.` },
    logLevel: "warning",
  });
}
copyFileSync(join(js, "mock.d.ts"), join(pkg, "mock.d.mts"));
copyFileSync(join(js, "mock.d.ts"), join(pkg, "mock.d.cts"));
copyFileSync(join(glues.parser, "sezzle_session_bg.wasm"), join(pkg, "web", "sezzle_session_bg.wasm"));
copyFileSync(join(glues.client, "sezzle_session_bg.wasm"), join(pkg, "web", "sezzle_session_client_bg.wasm"));
copyFileSync(join(glues.get, "sezzle_session_bg.wasm"), join(pkg, "web", "sezzle_session_get_bg.wasm"));
// web/index.js is an ES module wherever it is read (the package itself is not "type": "module").
writeFileSync(join(pkg, "web", "package.json"), `{ "type": "module" }\n`);

// esbuild's __export helper walks its argument with for...in, which also visits a key planted
// on Object.prototype (an enumerable one): a file loaded after such a key was planted (the
// client's, on the first client call) would fail to load. It walks the own keys instead.
for (const dir of [pkg, join(pkg, "node"), join(pkg, "web")]) {
  for (const name of readdirSync(dir).filter((n) => /\.(c|m)?js$/.test(n))) {
    const file = join(dir, name);
    const text = readFileSync(file, "utf8");
    if (!text.includes("var __export = ")) continue;
    const walk = "var __export = (target, all) => {\n  for (var name in all)\n";
    if (!text.includes(walk)) throw new Error(`${file}: esbuild's __export is not what build-pkg.mjs expects`);
    writeFileSync(file, text.replace(walk, "var __export = (target, all) => {\n  for (var name of Object.keys(all))\n"));
  }
}

copyFileSync(join(js, "cli.mjs"), join(pkg, "cli.mjs"));
// The expiry wording the command and the inspector page share (an ES module: web/ is "type": "module").
copyFileSync(join(js, "relative.js"), join(pkg, "web", "relative.js"));
copyFileSync(join(js, "path.js"), join(pkg, "web", "path.js"));
chmodSync(join(pkg, "cli.mjs"), 0o755);
// The declarations, once per module system, so that each entry's types say what it is (an
// ES module has no default export; are-the-types-wrong checks it): index.d.mts for import,
// index.d.cts (and index.d.ts, for TypeScript's node10 resolution) for require. Each
// re-exports the declarations generated from the Rust types (src/generated_js.rs).
const declarations = readFileSync(join(js, "index.d.ts"), "utf8");
const generated = readFileSync(join(js, "types.generated.d.ts"), "utf8");
for (const [ext, suffix] of [["d.mts", "mjs"], ["d.cts", "cjs"], ["d.ts", "js"]]) {
  writeFileSync(join(pkg, `index.${ext}`), declarations.replaceAll("./types.generated.js", `./types.generated.${suffix}`));
  writeFileSync(join(pkg, `types.generated.${ext}`), generated);
}
copyFileSync(join(js, "slim.d.ts"), join(pkg, "slim.d.mts"));
// sezzle-session/slim for resolvers that read no "exports" (Parcel 2 unconfigured): a folder
// whose package.json names the entry.
mkdirSync(join(pkg, "slim"), { recursive: true });
writeFileSync(join(pkg, "slim", "package.json"), JSON.stringify({ main: "../web/slim.js", types: "../slim.d.mts" }, null, 2) + "\n");
for (const file of ["README.md", "LICENSE", "CHANGELOG.md"]) copyFileSync(join(root, file), join(pkg, file));

const manifest = JSON.parse(readFileSync(join(js, "package.json"), "utf8"));
manifest.version = version;
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`pkg/ assembled: sezzle-session@${version}`);
