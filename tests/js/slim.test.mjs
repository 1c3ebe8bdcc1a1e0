// sezzle-session/slim: the module loaded by init() or initSync(), from every kind of source,
// in Node and in headless Chromium; and the zero-configuration entry under a page's CSP.
import test from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launchChromium, serveConsumer } from "./chromium.mjs";
import { consumer, fixtureText, installed } from "./packed.mjs";

const SEED = fixtureText("valid/seed.json");
const SEED_UUID = JSON.parse(SEED).uuid;
const BYTES = readFileSync(join(installed, "web", "sezzle_session_bg.wasm"));
let fresh = 0;
/**
 * A new copy of the slim entry (a new module instance each time: nothing loaded yet). The
 * entry re-exports two halves that share a module of state, so the copy is of the whole
 * folder (the .wasm files beside it too).
 */
const slim = () => {
  const dir = join(mkdtempSync(join(tmpdir(), `sezzle-slim-${++fresh}-`)), "web");
  cpSync(join(installed, "web"), dir, { recursive: true });
  return import(pathToFileURL(join(dir, "slim.js")).href);
};

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}

function throwing(run) {
  try {
    run();
  } catch (error) {
    return error;
  }
  assert.fail("expected a throw");
}

function serveBytes(routes) {
  const server = createServer((req, res) => {
    const route = routes[req.url];
    if (!route) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": route.type }).end(route.body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test("init() in Node, where fetch reads no file: URL, says what works there", async () => {
  const api = await slim();
  const error = await rejection(api.init());
  assert.ok(error instanceof api.SezzleError);
  assert.equal(error.kind, "network");
  assert.match(error.message, /^init: file:\/\/.*sezzle_session_bg\.wasm could not be fetched: .*fetch reads no file: URL: pass the module's bytes, initSync\(readFileSync\(path\)\) or init\(\{ parser: bytes \}\), or import "sezzle-session", which needs no init$/);
  // ...and what it says works.
  api.initSync(readFileSync(fileURLToPath(new URL("sezzle_session_bg.wasm", error.message.match(/file:\/\/\S+/)[0]))));
  assert.equal(api.parseSession(SEED).uuid, JSON.parse(SEED).uuid);
});

test("by name, before init: each function says to call init first, with a SezzleError", async () => {
  writeFileSync(join(consumer, "by-name-slim.mjs"), 'export * from "sezzle-session/slim";\n');
  const api = await import(pathToFileURL(join(consumer, "by-name-slim.mjs")).href);
  for (const name of ["parseSession", "safeParseSession", "checkoutUrl", "approvalUrl", "findLink"]) {
    const error = throwing(() => api[name](SEED));
    assert.ok(error instanceof api.SezzleError, name);
    assert.equal(error.kind, "invalid_argument");
    assert.match(error.message, new RegExp(`call init\\(\\) or initSync\\(\\) before ${name}$`));
  }
  assert.equal((await rejection(api.getSession(SEED_UUID, { token: "t" }))).kind, "invalid_argument");
  assert.equal(throwing(() => new api.SezzleClient({ token: "t" })).kind, "invalid_argument");
  // A constant, there before init (the client's defaults are no part of either module).
  assert.equal(api.CLIENT_DEFAULTS.retries, 2);
  assert.equal(api.MAX_INPUT_BYTES, 1024 * 1024);
});

test("initSync from bytes, then every function is the instance's, and again is a no-op", async () => {
  const api = await slim();
  api.initSync(new Uint8Array(BYTES));
  assert.equal(api.parseSession(SEED).uuid, SEED_UUID);
  assert.equal(api.checkoutUrl(SEED), JSON.parse(SEED).order.checkout_url);
  assert.equal(api.CLIENT_DEFAULTS.retries, 2);
  const client = new api.SezzleClient({ token: "t" });
  assert.ok(client instanceof api.SezzleClient);
  api.initSync(new Uint8Array(BYTES));
  await api.init();
  assert.equal(api.safeParseSession("{").error.kind, "validation");
});

test("initSync from a WebAssembly.Module, init from a Module, a Response, a promise of one and an ArrayBuffer", async () => {
  const module = new WebAssembly.Module(BYTES);
  const sources = [
    (api) => api.initSync(module),
    (api) => api.init(module),
    (api) => api.init(new Response(BYTES, { headers: { "content-type": "application/wasm" } })),
    (api) => api.init(Promise.resolve(new Response(BYTES, { headers: { "content-type": "application/wasm" } }))),
    (api) => api.init(BYTES.buffer.slice(BYTES.byteOffset, BYTES.byteOffset + BYTES.length)),
  ];
  for (const load of sources) {
    const api = await slim();
    await load(api);
    assert.equal(api.parseSession(SEED).uuid, SEED_UUID);
  }
});

test("init from a URL on loopback; a 404, a refused port and bytes that are not the module are typed errors", async () => {
  const server = await serveBytes({
    "/m.wasm": { type: "application/wasm", body: BYTES },
    "/not.wasm": { type: "application/wasm", body: Buffer.from("<html>not wasm</html>") },
    "/fallback.wasm": { type: "text/html; charset=utf-8", body: Buffer.from("<!doctype html><title>app</title>") },
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const api = await slim();
    const missing = await rejection(api.init(`${base}/missing.wasm`));
    assert.ok(missing instanceof api.SezzleError);
    assert.equal(missing.kind, "http");
    assert.equal(missing.status, 404);
    const wrong = await rejection(api.init(new URL(`${base}/not.wasm`)));
    assert.equal(wrong.kind, "invalid_argument");
    assert.match(wrong.message, /could not be loaded/);
    // A dev server's index.html where the .wasm should be is named, with the form that works.
    const fallback = await rejection(api.init(`${base}/fallback.wasm`));
    assert.equal(fallback.kind, "invalid_argument");
    assert.match(fallback.message, /fallback\.wasm answered an HTML page, not the WebAssembly module; .*sezzle_session_bg\.wasm\?url/);
    // A failed init leaves the entry as it was: a later one with a good source works.
    assert.equal(throwing(() => api.parseSession(SEED)).kind, "invalid_argument");
    await api.init(`${base}/m.wasm`);
    assert.equal(api.parseSession(SEED).uuid, SEED_UUID);

    const closed = await serveBytes({});
    const port = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await rejection((await slim()).init(`http://127.0.0.1:${port}/m.wasm`));
    assert.equal(refused.kind, "network");
  } finally {
    server.close();
  }
});

test("hostile sources: wrong types, garbage bytes, a promise that rejects, a thenable that throws", async () => {
  const api = await slim();
  for (const source of [5, "", null, {}, [], new Uint8Array(3), Symbol("s")]) {
    const sync = throwing(() => api.initSync(source));
    assert.equal(sync.kind, "invalid_argument", String(typeof source));
  }
  for (const source of [5, null, {}, Promise.reject(new Error("nope")), { then() { throw new Error("lying thenable"); } }, new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9])]) {
    const error = await rejection(api.init(source));
    assert.ok(error instanceof api.SezzleError);
    assert.equal(error.kind, "invalid_argument");
  }
  // Objects that lie: traps and getters that throw are refused as sources, never thrown through.
  const trapped = new Proxy({}, { get() { throw new Error("get trap"); }, getPrototypeOf() { throw new Error("proto trap"); } });
  const lyingThen = Object.defineProperty({}, "then", { get() { throw new Error("then getter"); } });
  const fakeResponse = Object.setPrototypeOf({ ok: true, status: 200, arrayBuffer: () => BYTES }, Response.prototype);
  for (const source of [trapped, lyingThen, fakeResponse]) {
    const error = await rejection(api.init(source));
    assert.ok(error instanceof api.SezzleError, String(error));
    assert.equal(error.kind, "invalid_argument");
  }
  assert.equal(throwing(() => api.initSync(trapped)).kind, "invalid_argument");
  assert.equal(throwing(() => new api.SezzleClient({ token: "t" })).kind, "invalid_argument", "still not loaded");
  api.initSync(BYTES);
  assert.equal(api.parseSession(SEED).uuid, SEED_UUID);
});

test("concurrent loads: init racing initSync, a bad source beside a good one, a stuck one beside a good one, a body cut short", async () => {
  // init() still compiling when initSync() adopts: the answers stay right (the instance the
  // API reads is the one the functions run in).
  const raced = await slim();
  const pending = raced.init(BYTES);
  await Promise.resolve();
  raced.initSync(BYTES);
  await pending;
  assert.equal(raced.parseSession(SEED).uuid, SEED_UUID);
  const broken = raced.safeParseSession("{");
  assert.match(broken.error.message, /malformed JSON at line 1, column 1: EOF while parsing/);

  // A bad source fails alone; the good one beside it loads.
  const pair = await slim();
  const bad = pair.init(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]));
  const good = pair.init(BYTES);
  assert.equal((await rejection(bad)).kind, "invalid_argument");
  await good;
  assert.equal(pair.parseSession(SEED).uuid, SEED_UUID);

  // A body that never ends holds up nothing but itself; cut, it is a network error.
  const sockets = new Set();
  const server = createServer((req, res) => {
    sockets.add(res.socket);
    res.writeHead(200, { "content-type": "application/wasm", "content-length": String(BYTES.length) });
    res.write(BYTES.subarray(0, 8));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const stuckApi = await slim();
    const stuck = stuckApi.init(`http://127.0.0.1:${server.address().port}/never.wasm`);
    await new Promise((resolve) => server.once("request", () => setImmediate(resolve)));
    await stuckApi.init(BYTES);
    assert.equal(stuckApi.parseSession(SEED).uuid, SEED_UUID);
    for (const socket of sockets) socket.destroy();
    const cut = await rejection(stuck);
    assert.ok(cut instanceof stuckApi.SezzleError);
    assert.equal(cut.kind, "network");
    assert.match(cut.message, /the module's body could not be read/);
    assert.equal(stuckApi.parseSession(SEED).uuid, SEED_UUID, "the loaded instance is untouched");
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
});

// ---- Chromium -------------------------------------------------------------------------

async function inChromium(pages, use) {
  const server = await serveConsumer(pages);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await use(page, `http://127.0.0.1:${server.address().port}`, errors);
  } finally {
    await browser.close();
    server.close();
  }
}

const SLIM_APP = `
import { init, parseSession, checkoutUrl, SezzleError } from "/node_modules/sezzle-session/web/slim.js";
let before;
try { parseSession("{}"); } catch (error) { before = error instanceof SezzleError && error.kind; }
await init();
const seed = ${JSON.stringify(SEED)};
window.result = { before, uuid: parseSession(seed).uuid, url: checkoutUrl(seed) };`;

const DEFAULT_APP = `
import { parseSession } from "/node_modules/sezzle-session/web/index.js";
window.result = { uuid: parseSession(${JSON.stringify(SEED)}).uuid };`;

test("in Chromium, the slim entry's init() loads the .wasm from beside it", () =>
  inChromium({ "/": ['<script type="module" src="/app.js"></script>'], "/app.js": [SLIM_APP] }, async (page, base, errors) => {
    const requests = [];
    page.on("request", (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${base}/`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 15_000 });
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(result, { before: "invalid_argument", uuid: SEED_UUID, url: JSON.parse(SEED).order.checkout_url });
    assert.ok(requests.includes("/node_modules/sezzle-session/web/sezzle_session_bg.wasm"));
    assert.deepEqual(errors, []);
  }));

test("under a CSP without 'wasm-unsafe-eval' the default entry fails saying what to allow; with it, it works", () =>
  inChromium(
    {
      "/strict": ['<script type="module" src="/app.js"></script>', "script-src 'self'"],
      "/allowed": ['<script type="module" src="/app.js"></script>', "script-src 'self' 'wasm-unsafe-eval'"],
      "/app.js": [DEFAULT_APP],
    },
    async (page, base, errors) => {
      const failed = page.waitForEvent("pageerror", { timeout: 15_000 });
      await page.goto(`${base}/strict`);
      assert.match((await failed).message, /^sezzle-session: the WebAssembly module could not be loaded: .*'wasm-unsafe-eval'/);
      assert.equal(await page.evaluate(() => window.result), undefined);
      errors.length = 0;
      await page.goto(`${base}/allowed`);
      await page.waitForFunction(() => window.result !== undefined, null, { timeout: 15_000 });
      assert.equal((await page.evaluate(() => window.result)).uuid, SEED_UUID);
      assert.deepEqual(errors, []);
    },
  ));

test("in a browser without Uint8Array.fromHex (before Chromium 140, Safari 18.2) the default entry decodes the hex by hand", () =>
  inChromium({ "/": ['<script type="module" src="/app.js"></script>'], "/app.js": [DEFAULT_APP] }, async (page, base, errors) => {
    await page.addInitScript(() => {
      window.usedFromHex = 0;
      const fromHex = Uint8Array.fromHex;
      if (fromHex) Uint8Array.fromHex = (text) => (window.usedFromHex++, fromHex(text));
    });
    await page.goto(`${base}/`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 15_000 });
    const native = await page.evaluate(() => window.usedFromHex);
    // Then without it: the same session, from the hand-written decoder.
    await page.addInitScript(() => delete Uint8Array.fromHex);
    await page.goto(`${base}/`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 15_000 });
    assert.equal((await page.evaluate(() => window.result)).uuid, SEED_UUID);
    assert.equal(await page.evaluate(() => typeof Uint8Array.fromHex), "undefined");
    assert.ok(native <= 1, "the parser module is decoded once at import");
    assert.deepEqual(errors, []);
  }));

test("init({ parser, client }): hostile options and client sources are typed errors, and a good load after them works", async () => {
  const api = await slim();
  const clientBytes = readFileSync(join(installed, "web", "sezzle_session_client_bg.wasm"));
  // Getters that throw, a Proxy whose traps throw: read as options they are refused, never thrown through.
  const throwingClient = Object.defineProperty({ parser: BYTES }, "client", { enumerable: true, get() { throw new Error("client getter"); } });
  const trappedOptions = new Proxy({ parser: BYTES }, { get() { throw new Error("get trap"); }, has() { throw new Error("has trap"); } });
  for (const source of [throwingClient, trappedOptions]) {
    const error = await rejection(api.init(source));
    assert.ok(error instanceof api.SezzleError, String(error));
    assert.equal(error.kind, "invalid_argument");
  }
  // A client source of the wrong type, garbage bytes, or the parser's module where the client's belongs.
  await api.init({ parser: BYTES });
  for (const client of [5, "", new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]), { then() { throw new Error("lying thenable"); } }]) {
    const error = await rejection(api.init({ client }));
    assert.ok(error instanceof api.SezzleError, String(error));
    assert.ok(["invalid_argument", "internal", "network"].includes(error.kind), `${String(client)}: ${error.kind} ${error.message}`);
  }
  // Each module where the other belongs is refused when it is given, not at its first call.
  const wrongModule = await rejection(api.init({ client: BYTES }));
  assert.ok(wrongModule instanceof api.SezzleError && wrongModule.kind === "invalid_argument", String(wrongModule));
  assert.match(wrongModule.message, /not the client module/);
  const other = await slim();
  assert.match(throwing(() => other.initSync(clientBytes)).message, /not the parser module/);
  assert.equal((await rejection(other.init(clientBytes))).kind, "invalid_argument");
  // The getSession module where the client's belongs lacks the client's exports: refused too.
  const getBytes = readFileSync(join(installed, "web", "sezzle_session_get_bg.wasm"));
  assert.match((await rejection(api.init({ client: getBytes }))).message, /not the client module \(it has no authenticate\)/);
  // The parser still works, and the right bytes load the client after all that.
  assert.equal(api.parseSession(SEED).uuid, SEED_UUID);
  await api.init({ client: clientBytes });
  assert.throws(() => new api.SezzleClient({}), (error) => error.kind === "invalid_argument" && /publicKey and options\.privateKey/.test(error.message));
});

test("init({ get }): hostile options and getSession sources (the client module among them) are typed errors, and a good load after them works", async () => {
  const api = await slim();
  const getBytes = readFileSync(join(installed, "web", "sezzle_session_get_bg.wasm"));
  const throwingGet = Object.defineProperty({ parser: BYTES }, "get", { enumerable: true, get() { throw new Error("get getter"); } });
  const error = await rejection(api.init(throwingGet));
  assert.ok(error instanceof api.SezzleError && error.kind === "invalid_argument", String(error));
  await api.init({ parser: BYTES });
  for (const get of [5, "", new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]), { then() { throw new Error("lying thenable"); } }]) {
    const refused = await rejection(api.init({ get }));
    assert.ok(refused instanceof api.SezzleError, String(refused));
    assert.ok(["invalid_argument", "internal", "network"].includes(refused.kind), `${String(get)}: ${refused.kind} ${refused.message}`);
  }
  const wrongModule = await rejection(api.init({ get: BYTES }));
  assert.match(wrongModule.message, /not the getSession module \(it has no session_getter\)/);
  assert.equal(api.parseSession(SEED).uuid, SEED_UUID);
  await api.init({ get: getBytes });
  const missing = await rejection(api.getSession(SEED_UUID, {}));
  assert.equal(missing.kind, "invalid_argument");
  assert.match(missing.message, /^getSession: options\.token is required/);
  // The client module where the getSession module belongs (its glue differs) is refused when
  // it is given, and the right one loads after it.
  const other = await slim();
  const clientGiven = await rejection(other.init({ parser: BYTES, get: readFileSync(join(installed, "web", "sezzle_session_client_bg.wasm")) }));
  assert.equal(clientGiven.kind, "invalid_argument");
  assert.match(clientGiven.message, /not the getSession module \(it has authenticate/);
  await other.init({ get: getBytes });
  assert.match((await rejection(other.getSession(SEED_UUID, {}))).message, /^getSession: options\.token is required/);
});

// A key planted on Object.prototype (a prototype pollution) is none of init's options: it
// chooses no module's source. In a child process (the planted keys would reach the test
// runner too), against a server on loopback that counts what is asked of it.
test("init's options are own properties: a planted parser or client on Object.prototype loads nothing from where it points", async () => {
  let asked = 0;
  const server = createServer((req, res) => {
    asked++;
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const dir = join(mkdtempSync(join(tmpdir(), "sezzle-slim-planted-")), "web");
    cpSync(join(installed, "web"), dir, { recursive: true });
    const evil = `http://127.0.0.1:${server.address().port}/evil.wasm`;
    const script = `import * as api from ${JSON.stringify(pathToFileURL(join(dir, "slim.js")).href)};
      import { readFileSync } from "node:fs";
      const bytes = (name) => readFileSync(${JSON.stringify(dir)} + "/" + name);
      const out = {};
      Object.prototype.client = ${JSON.stringify(evil)};
      Object.prototype.parser = ${JSON.stringify(evil)};
      // The parser given, the client planted: only the parser loads.
      out.parser = await api.init({ parser: bytes("sezzle_session_bg.wasm") }).then(() => "loaded", (e) => "rejected " + e.kind);
      out.uuid = api.parseSession(${JSON.stringify(SEED)}).uuid;
      // The client given, the parser loaded already, planted again: nothing more is asked.
      out.client = await api.init({ client: bytes("sezzle_session_client_bg.wasm") }).then(() => "loaded", (e) => "rejected " + e.kind);
      // An object with no option of its own is a source: the parser loaded, nothing is read of it.
      out.empty = await api.init({}).then(() => "loaded", (e) => "rejected " + e.kind);
      delete Object.prototype.client;
      delete Object.prototype.parser;
      try { new api.SezzleClient({}); } catch (e) { out.made = e.kind; }
      console.log(JSON.stringify(out));`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: consumer });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const [status] = await once(child, "close");
    assert.equal(status, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { parser: "loaded", uuid: SEED_UUID, client: "loaded", empty: "loaded", made: "invalid_argument" });
    assert.equal(asked, 0, "a planted source was fetched");
  } finally {
    server.close();
  }
});
