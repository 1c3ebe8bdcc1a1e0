// The packed package (target/consumer/sezzle-session-*.tgz, from `make pack`) built by every
// mainstream bundler with no configuration beyond entry and output, and run: each browser
// build in headless Chromium, each Node bundle with `node` after it is moved elsewhere (as a
// deployment does). Every app (apps/) parses the seed fixture and reports what it read; the
// checks compare that with the fixture. `make test-bundlers` runs this file.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const modules = join(here, "node_modules");
const work = join(here, ".work");
const installed = join(modules, "sezzle-session");
const seedText = readFileSync(join(root, "tests", "fixtures", "valid", "seed.json"), "utf8");
const seed = JSON.parse(seedText);

// Without the networking flags Chromium keeps dialling hosts this machine cannot reach.
const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
  "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
];

// ---- processes: every one in its own group, ended by pid (the group) whatever happens ----

const running = new Map(); // pid -> ChildProcess

function killGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}
process.on("exit", () => { for (const pid of running.keys()) killGroup(pid, "SIGKILL"); });

function start(command, args, cwd, env = {}) {
  const child = spawn(command, args, {
    cwd, detached: true, stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", BROWSER: "none", ...env },
  });
  let output = "";
  child.stdout.on("data", (chunk) => { output += chunk; });
  child.stderr.on("data", (chunk) => { output += chunk; });
  running.set(child.pid, child);
  child.exited = new Promise((resolve) => child.on("close", (code, signal) => {
    running.delete(child.pid);
    resolve({ code, signal });
  }));
  child.output = () => output;
  return child;
}

async function stop(child) {
  if (!running.has(child.pid)) return;
  killGroup(child.pid, "SIGTERM");
  const ended = await Promise.race([child.exited, new Promise((r) => setTimeout(r, 5000, null)).then(() => null)]);
  if (ended === null) { killGroup(child.pid, "SIGKILL"); await child.exited; }
}

/** Runs a bundler's command line to its end; fails with its output unless it exits 0. */
async function run(cwd, command, args, env = {}) {
  const child = start(command, args, cwd, env);
  const { code, signal } = await child.exited;
  const output = child.output();
  assert.equal(code, 0, `${[command, ...args].join(" ")} exited with ${code ?? signal}:\n${output}`);
  return output;
}

/** A package's own command-line script, run with this Node (node_modules/.bin is ambiguous across the aliases). */
function bin(name) {
  const manifest = JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8"));
  const path = join(modules, name, typeof manifest.bin === "string" ? manifest.bin : manifest.bin[manifest.name]);
  // esbuild's install script swaps its JS launcher for the native executable.
  const native = readFileSync(path).subarray(0, 4).equals(Buffer.from("\x7fELF", "latin1"));
  return native ? [path] : [process.execPath, path];
}

const warned = []; // [build, line]: what each build printed as a warning (reported, not failed on)

async function cli(cwd, name, args) {
  const [first, ...rest] = bin(name);
  const output = await run(cwd, first, [...rest, ...args]);
  for (const line of output.split("\n")) {
    if (/\bwarn(ing)?\b|^\s*\(!\)/i.test(line)) warned.push([`${name} (${cwd.slice(work.length + 1)})`, line.trim()]);
  }
  return output;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createTcpServer().once("error", reject).listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a server's command line (given the port) and waits until it answers on 127.0.0.1. */
async function serve(cwd, name, argsFor) {
  const port = await freePort();
  const [first, ...rest] = bin(name);
  const child = start(first, [...rest, ...argsFor(port)], cwd);
  const url = `http://127.0.0.1:${port}/`;
  let ended = null;
  child.exited.then((status) => { ended = status; });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`${name} ${argsFor(port).join(" ")} did not answer on ${url}:\n${child.output()}`);
    if (ended) throw new Error(`${name} ${argsFor(port).join(" ")} ended (${ended.code ?? ended.signal}) before answering:\n${child.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return { url, child };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".map": "application/json" };

/** A static file server for a build's output directory, as any host serves it. */
function serveStatic(dir) {
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path.endsWith("/")) path += "index.html";
    try {
      const body = readFileSync(join(dir, path));
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  })));
}

// ---- the apps ----

/**
 * A user's project: a fresh copy of apps/<kind>/ with apps/probe.js, the seed's text as
 * seed.js, a package.json, and the package in its own node_modules (as `npm install` of the
 * tarball lays it out), so that a dev server's file-system allow list, a bundler's project
 * root and a cache in node_modules/ are each the app's own.
 */
function app(kind, name) {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  cpSync(installed, join(dir, "node_modules", "sezzle-session"), { recursive: true });
  cpSync(join(here, "apps", kind), dir, { recursive: true });
  cpSync(join(here, "apps", "probe.js"), join(dir, "probe.js"));
  cpSync(join(here, "apps", "index.html"), join(dir, "index.html")); // the page of every browser app
  writeFileSync(join(dir, "seed.js"), `export default ${JSON.stringify(seedText)};\n`);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }, null, 2) + "\n");
  return dir;
}

/** The page a user writes beside a bundle that has no HTML of its own. */
function page(dir, script, { module }) {
  const tag = module ? `<script type="module" src="./${script}"></script>` : `<script defer src="./${script}"></script>`;
  writeFileSync(join(dir, "index.html"), `<!doctype html>\n<meta charset="utf-8">\n<pre id="result">loading</pre>\n${tag}\n`);
}

function files(dir) {
  return readdirSync(dir, { recursive: true }).map(String).filter((path) => statSync(join(dir, path)).isFile());
}

const shipped = []; // rows of the size table
const unusedClient = []; // what a build emitted of a client module its app does not use (its page never loads it)

/** What a browser build ships: its JS and wasm files (no maps, no HTML), raw and gzip -9. */
function measure(name, dir, { minified, app }) {
  const kept = files(dir).filter((path) => /\.(m?js|cjs|wasm)$/.test(path));
  assert.ok(kept.some((path) => /\.m?js$/.test(path)), `${name}: no JavaScript emitted in ${dir}: ${files(dir).join(", ")}`);
  let raw = 0, gzip = 0;
  for (const path of kept) {
    const bytes = readFileSync(join(dir, path));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  shipped.push({ name, app, files: kept.length, wasm: kept.filter((p) => p.endsWith(".wasm")).length, raw, gzip, minified });
  return kept;
}

// `fetching`: how the app fetches: 0 not at all, 1 with getSession, 2 with getSession and a
// SezzleClient.
function assertResult(result, where, { fetching }) {
  assert.equal(typeof result, "object", `${where}: no result object: ${JSON.stringify(result)}`);
  assert.equal(result.ok, true, `${where}: the app failed: ${result.error}`);
  assert.equal(result.uuid, seed.uuid, `${where}: parseSession(seed text).uuid`);
  assert.deepEqual(result.uuids, [seed.uuid, seed.uuid], `${where}: parseSession(bytes) and parseSession(object)`);
  assert.equal(result.checkoutUrl, seed.order.checkout_url, `${where}: checkoutUrl(session)`);
  assert.equal(result.errorIsSezzleError, true, `${where}: parseSession("{") threw a SezzleError`);
  assert.equal(result.errorKind, "validation", `${where}: the SezzleError's kind`);
  if (fetching) {
    assert.deepEqual(result.fetched, Array(fetching).fill(seed.uuid), `${where}: getSession${fetching === 2 ? " and SezzleClient#getSession" : ""} from the mock gateway`);
    if (fetching === 2) assert.equal(result.clientName, "SezzleClient", `${where}: SezzleClient.name`);
  } else {
    assert.equal(result.safe, false, `${where}: safeParseSession("{")`);
  }
}

// One of the installed package's modules: its bytes, and a stretch of it as the default entry
// inlines it (gzip -9, base64: build-pkg.mjs), which a bundler keeps under any chunk name
// (webpack's are numbers). Read once, for every build that is checked.
const modulesRead = new Map();
function moduleOf(file) {
  if (!modulesRead.has(file)) {
    const bytes = readFileSync(join(installed, "web", file));
    modulesRead.set(file, { bytes, stretch: gzipSync(bytes, { level: 9 }).toString("base64").slice(4000, 4064) });
  }
  return modulesRead.get(file);
}
const inlinedStretch = (file) => moduleOf(file).stretch;
// What only the client module has (authenticate, SezzleClient): its module, by name, inlined
// or as a file. None may be in the output of an app that calls no more than getSession.
const CLIENT_MARKS = () => ["CLIENT_WASM", "sezzle_session_client_bg", inlinedStretch("sezzle_session_client_bg.wasm")];
// What only the client's JS and the getSession module have: the glue's classes, the
// getSession module (by name, inlined or as a file), and a message of their own (as it is or
// as hex). None may be in a parse-only app's output, nor CLIENT_MARKS.
const GET_MARKS = () => ["GatewayClient", "SessionGetter", "GET_WASM", "sezzle_session_get_bg", inlinedStretch("sezzle_session_get_bg.wasm"), "Retry-After", Buffer.from("Retry-After").toString("hex")];
function noClient(name, dir, kept, { fetching }) {
  const modules = [["client", "sezzle_session_client_bg.wasm"], ...(fetching ? [] : [["getSession", "sezzle_session_get_bg.wasm"]])];
  const marks = fetching ? CLIENT_MARKS() : [...CLIENT_MARKS(), ...GET_MARKS()];
  for (const path of kept) {
    const bytes = readFileSync(join(dir, path));
    for (const [what, file] of modules) assert.ok(!bytes.equals(moduleOf(file).bytes), `${name}: ${path} is the ${what} module`);
    const text = bytes.toString("latin1");
    for (const mark of marks) assert.ok(!text.includes(mark), `${name}: ${path} holds ${JSON.stringify(mark)}, which the app does not use`);
  }
}

let browser;
let mock; // the mock gateway (the package's own sezzle-session/mock) the fetching apps call
let mockToken;

/**
 * Opens url in Chromium, waits for the app's window.sezzleResult and checks it, the page's text and
 * that the page threw nothing. wasm: how many .wasm files the page must fetch (the slim
 * entry's), 0 for none (the default entry, which inlines its modules). fetching: as
 * assertResult takes it; the page must request nothing of a module the app does not use.
 */
async function checkPage(url, { wasm, fetching }) {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    const errors = [];
    const consoleErrors = [];
    const wasmResponses = [];
    const requested = [];
    tab.on("request", (request) => requested.push(new URL(request.url()).pathname));
    tab.on("pageerror", (error) => errors.push(String(error?.stack ?? error)));
    tab.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
    tab.on("response", (response) => {
      if (new URL(response.url()).pathname.endsWith(".wasm")) {
        wasmResponses.push({ url: response.url(), status: response.status(), type: response.headers()["content-type"] });
      }
    });
    await tab.goto(fetching ? `${url}?gateway=${encodeURIComponent(mock.baseUrl)}&token=${encodeURIComponent(mockToken)}` : url);
    await tab.waitForFunction(() => window.sezzleResult !== undefined, null, { timeout: 60_000 }).catch(async (error) => {
      throw new Error(`${url}: the app never set window.sezzleResult (${error.message}); page errors: ${JSON.stringify(errors)}; console errors: ${JSON.stringify(consoleErrors)}; page text: ${await tab.textContent("body").catch(() => "?")}`);
    });
    const result = await tab.evaluate(() => window.sezzleResult);
    assert.deepEqual(errors, [], `${url}: page errors`);
    assertResult(result, url, { fetching });
    if (!fetching) assert.deepEqual(requested.filter((path) => CLIENT_FILES.test(path) || GET_FILES.test(path)), [], `${url}: a parse-only page fetches nothing of the client's modules`);
    if (fetching === 1) assert.deepEqual(requested.filter((path) => CLIENT_FILES.test(path)), [], `${url}: a page that calls only getSession fetches nothing of the client module`);
    assert.deepEqual(JSON.parse(await tab.textContent("#result")), result, `${url}: the page shows the result`);
    // Vite's dev server answers an `import x from "….wasm?url"` with a JavaScript module that
    // exports the file's URL: that request is not the module's bytes.
    const urlModules = wasmResponses.filter((r) => /javascript/.test(r.type ?? ""));
    wasmResponses.splice(0, wasmResponses.length, ...wasmResponses.filter((r) => !urlModules.includes(r)));
    if (wasm) {
      // The parser module, the getSession module when the app fetches, the client module when
      // it makes a SezzleClient.
      assert.equal(wasmResponses.length, wasm, `${url}: the slim entry fetched its .wasm files: ${JSON.stringify(wasmResponses)}`);
      for (const response of wasmResponses) {
        assert.equal(response.status, 200, `${url}: ${JSON.stringify(wasmResponses)}`);
        assert.match(response.type ?? "", /^application\/wasm/, `${url}: the .wasm's content type`);
      }
    } else {
      assert.deepEqual(wasmResponses, [], `${url}: the default entry inlines its modules and fetches none`);
    }
    return result;
  } finally {
    await context.close();
  }
}

/** Serves a build's output directory statically and checks its page. */
async function checkStatic(dir, options) {
  const server = await serveStatic(dir);
  try {
    await checkPage(server.url, options);
  } finally {
    await server.close();
  }
}

/** Checks the page a server command line serves, and stops that server. */
async function checkServer(cwd, name, argsFor, options) {
  const { url, child } = await serve(cwd, name, argsFor);
  try {
    await checkPage(url, options);
  } finally {
    await stop(child);
  }
}

/** Moves a Node bundle's directory somewhere unrelated, runs its entry with node, checks what it printed. */
async function checkDeployed(out, entry) {
  const deployed = mkdtempSync(join(tmpdir(), "sezzle-deployed-"));
  try {
    cpSync(out, deployed, { recursive: true });
    rmSync(out, { recursive: true });
    assert.ok(!files(deployed).some((path) => path.includes("node_modules")), "a Node bundle needs no node_modules");
    const stdout = await run(deployed, process.execPath, [join(deployed, entry)], { SEZZLE_GATEWAY: mock.baseUrl, SEZZLE_TOKEN: mockToken });
    const lines = stdout.trim().split("\n");
    let result;
    try { result = JSON.parse(lines.at(-1)); } catch { assert.fail(`${entry} printed no JSON:\n${stdout}`); }
    assertResult({ ok: true, ...result }, `${entry} (moved to ${deployed})`, { fetching: 2 });
  } finally {
    rmSync(deployed, { recursive: true, force: true });
  }
}

// What a measured build is: an app that only parses, or one that fetches too.
const PARSE = "parse-only";
const FETCH = "fetching";
const CLIENT = "fetching + SezzleClient";
// The files of the client module and of the getSession module (their chunks and .wasm files).
const CLIENT_FILES = /client-(inline|file)|client_bg/;
const GET_FILES = /get-(inline|file)|get_bg/;

const noWasm = (name, kept) => assert.deepEqual(kept.filter((p) => p.endsWith(".wasm")), [], `${name}: the default entry inlines its module: no .wasm is emitted`);
const slimWasm = (name, kept, count) => assert.equal(kept.filter((p) => p.endsWith(".wasm")).length, count, `${name}: the slim entry's .wasm files are emitted: ${kept.join(", ")}`);

// ---- set-up: the tarball installed by name, a browser ----

before(async () => {
  const consumer = join(root, "target", "consumer");
  const tarballs = existsSync(consumer) ? readdirSync(consumer).filter((n) => /^sezzle-session-.*\.tgz$/.test(n)) : [];
  assert.equal(tarballs.length, 1, `one packed tarball in target/consumer (make pack writes it), found: ${JSON.stringify(tarballs)}`);
  assert.ok(existsSync(join(modules, "vite8")), "tests/bundlers/node_modules is not installed: npm ci --prefix tests/bundlers (make test-bundlers does)");
  // As `npm install <tgz>` would lay it out (the package has no dependencies), without npm
  // touching the suite's lock or the network.
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(installed);
  execFileSync("tar", ["xzf", join(consumer, tarballs[0]), "-C", installed, "--strip-components=1"]);
  const { version } = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  assert.equal(tarballs[0], `sezzle-session-${version}.tgz`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const { startMockGateway } = await import(join(installed, "mock.mjs"));
  mock = await startMockGateway();
  mockToken = mock.issueToken();
});

after(async () => {
  await Promise.all([...running.values()].map(stop));
  await browser?.close();
  await mock?.close();
  if (shipped.length) {
    const kib = (n) => (n / 1024).toFixed(1);
    const rows = [...shipped].sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }) || a.app.localeCompare(b.app));
    const table = [
      "| build | app | files (wasm) | minified | shipped JS + wasm, KiB | gzip -9, KiB |",
      "| --- | --- | --- | --- | ---: | ---: |",
      ...rows.map((r) => `| ${r.name} | ${r.app} | ${r.files} (${r.wasm}) | ${r.minified ? "yes" : "no"} | ${kib(r.raw)} | ${kib(r.gzip)} |`),
    ].join("\n");
    const notes = unusedClient.length ? `\nEmitted by a build for a module its app does not use, never loaded by its page, left out of its size: ${unusedClient.join("; ")}.\n` : "";
    writeFileSync(join(work, "sizes.md"), table + "\n" + notes);
    console.log(`\nWhat each browser build ships (tests/bundlers/.work/sizes.md):\n${table}\n${notes}`);
  }
  if (warned.length) console.log(`Warnings the builds printed:\n${warned.map(([build, line]) => `  ${build}: ${line}`).join("\n")}\n`);
});

// ---- the matrix ----

// A guard against a hung build or server (each test takes seconds), not a measurement.
const guard = { timeout: 240_000 };

// Builds are CPU-bound and this runs on 2 cores: three at a time keeps both busy while one
// test waits on a server or the browser.

describe("bundlers, unconfigured, on the packed package", { concurrency: 3 }, () => {
  // A browser build of app `kind` (web, client or parse: the default entry; slim or
  // slim-parse), measured, checked for what it must and must not hold, then served and run in
  // Chromium. Two builds still emit modules an app does not use, though the page never loads
  // them (checkPage checks that no request names them): Parcel 2 writes the chunk of a
  // dynamic import it tree-shook away, and Vite emits the .wasm asset of the slim entry's
  // chunk when it transforms the chunk that names it, before tree-shaking drops that chunk.
  // For these such files are left out of the size, and named in the table.
  const EMITS_UNUSED = new Set(["parcel 2", "parcel 2, slim", "vite5 build, slim", "vite6 build, slim", "vite7 build, slim", "vite8 build, slim"]);
  const built = (name, kind, dir, out, minified) => {
    const app = /parse/.test(kind) ? PARSE : kind === "client" ? CLIENT : FETCH;
    const fetching = { [PARSE]: 0, [FETCH]: 1, [CLIENT]: 2 }[app];
    let kept = files(join(dir, out));
    if (app !== CLIENT && EMITS_UNUSED.has(name)) {
      const unused = kept.filter((path) => CLIENT_FILES.test(path) || (app === PARSE && GET_FILES.test(path)));
      if (app === PARSE) assert.ok(unused.length > 0, `${name}: emits nothing of the client now: take it off EMITS_UNUSED`);
      for (const path of unused) rmSync(join(dir, out, path));
      if (unused.length > 0) unusedClient.push(`${name}, ${app}: ${unused.join(", ")}`);
    }
    kept = measure(name, join(dir, out), { minified, app });
    if (kind.startsWith("slim")) slimWasm(name, kept, fetching + 1);
    else noWasm(name, kept);
    if (app !== CLIENT) noClient(name, join(dir, out), kept, { fetching });
    return { wasm: kind.startsWith("slim") ? fetching + 1 : 0, fetching };
  };

  for (const vite of ["vite5", "vite6", "vite7", "vite8"]) {
    for (const kind of ["web", "client", "parse", "slim", "slim-parse"]) {
      // (The slim entry's parse-only app and the app that makes a SezzleClient are measured
      // with Vite 8 alone: the others emit the same.)
      if ((kind === "slim-parse" || kind === "client") && vite !== "vite8") continue;
      test(`${vite}: ${kind} app, vite build, then vite preview, in Chromium`, guard, async () => {
        const dir = app(kind, `${vite}-${kind}-build`);
        await cli(dir, vite, ["build"]);
        const label = `${vite} build${kind.startsWith("slim") ? ", slim" : ""}`;
        await checkServer(dir, vite, (port) => ["preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort"], built(label, kind, dir, "dist", true));
      });
    }

    test(`${vite}: dev server (vite), in Chromium`, guard, async () => {
      const dir = app("client", `${vite}-dev`);
      await checkServer(dir, vite, (port) => ["--host", "127.0.0.1", "--port", String(port), "--strictPort"], { wasm: 0, fetching: 2 });
    });
  }

  // The slim entry under the dev server. Vite 8 finds the .wasm files from their default
  // new URL("….wasm", import.meta.url). Vite 5, 6 and 7 pre-bundle the dependency into
  // node_modules/.vite/deps/ without its .wasm files, and their dev server answers such a URL
  // with its index.html (vitejs/vite#8427, a Vite bug no package field avoids): init() then
  // says so and names the form that works, `import wasmUrl from
  // "sezzle-session/sezzle_session_bg.wasm?url"` (and the client's), passed to init, tested
  // here on each.
  test("vite8: sezzle-session/slim, dev server (vite), in Chromium", guard, async () => {
    const dir = app("slim", "vite8-slim-dev");
    await checkServer(dir, "vite8", (port) => ["--host", "127.0.0.1", "--port", String(port), "--strictPort"], { wasm: 2, fetching: 1 });
  });

  for (const vite of ["vite5", "vite6", "vite7", "vite8"]) {
    test(`${vite}: sezzle-session/slim with init({ parser, client, get } from ?url), dev server (vite), in Chromium`, guard, async () => {
      const dir = app("slim-url", `${vite}-slim-url-dev`);
      await checkServer(dir, vite, (port) => ["--host", "127.0.0.1", "--port", String(port), "--strictPort"], { wasm: 3, fetching: 2 });
    });
  }

  for (const kind of ["web", "client", "parse", "slim"]) {
    test(`webpack 5: ${kind} app, browser build, in Chromium`, guard, async () => {
      const dir = app(kind, `webpack-${kind}`);
      await cli(dir, "webpack-cli", ["--mode", "production", "--entry", "./main.js", "--output-path", "dist"]);
      const options = built(kind === "slim" ? "webpack 5, slim" : "webpack 5", kind, dir, "dist", true);
      page(join(dir, "dist"), "main.js", { module: false });
      await checkStatic(join(dir, "dist"), options);
    });
  }

  // Rollup writes a dynamic import's chunk beside the entry: --dir names where (--file is for
  // one file, and the client is a chunk of its own).
  for (const kind of ["web", "parse"]) {
    test(`rollup 4 + node-resolve: ${kind} app, ES modules for the browser, in Chromium`, guard, async () => {
      const dir = app(kind, `rollup-${kind}`);
      await cli(dir, "rollup", ["main.js", "--plugin", "@rollup/plugin-node-resolve", "--format", "es", "--dir", "dist"]);
      const options = built("rollup 4 (es)", kind, dir, "dist", false);
      page(join(dir, "dist"), "main.js", { module: true });
      await checkStatic(join(dir, "dist"), options);
    });
  }

  for (const [format, args, module] of [["esm", ["--format=esm"], true], ["iife", [], false]]) {
    for (const kind of ["web", "parse"]) {
      test(`esbuild: --bundle ${module ? "--format=esm" : "(default iife)"}, ${kind} app, for the browser, in Chromium`, guard, async () => {
        const dir = app(kind, `esbuild-${format}-${kind}`);
        await cli(dir, "esbuild", ["main.js", "--bundle", ...args, "--outfile=dist/main.js"]);
        const options = built(`esbuild (${format})`, kind, dir, "dist", false);
        page(join(dir, "dist"), "main.js", { module });
        await checkStatic(join(dir, "dist"), options);
      });
    }
  }

  for (const kind of ["web", "parse", "slim"]) {
    test(`parcel 2: ${kind} app, parcel build index.html, in Chromium`, guard, async () => {
      const dir = app(kind, `parcel-${kind}`);
      // --no-autoinstall: when a module is missing Parcel would otherwise run npm and add it to
      // this suite's package.json; here that must fail instead (nothing may reach the network).
      await cli(dir, "parcel", ["build", "index.html", "--dist-dir", "dist", "--cache-dir", ".parcel-cache", "--no-autoinstall"]);
      await checkStatic(join(dir, "dist"), built(kind === "slim" ? "parcel 2, slim" : "parcel 2", kind, dir, "dist", true));
    });
  }

  test("esbuild --platform=node, CommonJS bundle moved elsewhere, run with node", guard, async () => {
    const dir = app("node", "esbuild-node-cjs");
    await cli(dir, "esbuild", ["main.js", "--bundle", "--platform=node", "--format=cjs", "--outfile=out/app.cjs"]);
    await checkDeployed(join(dir, "out"), "app.cjs");
  });

  test("esbuild --platform=node, ES module bundle moved elsewhere, run with node", guard, async () => {
    const dir = app("node", "esbuild-node-esm");
    await cli(dir, "esbuild", ["main.js", "--bundle", "--platform=node", "--format=esm", "--outfile=out/app.mjs"]);
    await checkDeployed(join(dir, "out"), "app.mjs");
  });

  test("webpack 5 --target node, bundle moved elsewhere, run with node", guard, async () => {
    const dir = app("node", "webpack-node");
    await cli(dir, "webpack-cli", ["--mode", "production", "--target", "node", "--entry", "./main.js", "--output-path", "out"]);
    await checkDeployed(join(dir, "out"), "main.js");
  });
});
