// Issue 21: apart modules. Importing the package compiles the parser module only; the client
// module comes with the first client call: in Node compiled synchronously (so `new
// SezzleClient` checks its options and throws as before), in Chromium through a chunk that
// only that call imports, for the default entry and for the slim one (from beside it, from a
// URL given to init, or at once with init({ client: true })); in Chromium getSession's first
// call brings the getSession module instead (init({ get }) for the slim entry), and no
// authentication.
import test from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium, serveConsumer } from "./chromium.mjs";
import { startMockGateway } from "./mock.mjs";
import { fixtureText, installed } from "./packed.mjs";

const SEED = fixtureText("valid/seed.json");
const SEED_UUID = JSON.parse(SEED).uuid;
const PKG = "/node_modules/sezzle-session/web";

test("in Node, importing compiles the parser module only; the first client call compiles the client's, and new SezzleClient still throws at once", async () => {
  // A fresh copy of the ES entry, with WebAssembly.Module counted meanwhile.
  const Original = WebAssembly.Module;
  let compiled = 0;
  WebAssembly.Module = class extends Original {
    constructor(bytes) {
      super(bytes);
      compiled++;
    }
  };
  const count = () => compiled;
  try {
    await run(await import(`${pathToFileURL(join(installed, "node", "index.mjs")).href}?split=1`), count);
  } finally {
    WebAssembly.Module = Original;
  }
});

// In Node the client is a file of its own beside the entries (node/sezzle-session-client.cjs),
// read by the first client call: each case runs in a fresh process on a copy of the installed
// package, whose client file is left, removed or replaced.
test("in Node, a process that only parses never reads the client's file; a missing, foreign or throwing one fails each client call with a SezzleError, parsing goes on, and the file back in place is loaded by the next call", () => {
  const dir = mkdtempSync(join(tmpdir(), "sezzle-client-file-"));
  try {
    const copy = join(dir, "sezzle-session");
    cpSync(installed, copy, { recursive: true });
    const clientFile = join(copy, "node", "sezzle-session-client.cjs");
    const original = readFileSync(clientFile);
    // What a process reports: whether the client file was read after a parse, then after the
    // first client call, and what that call and a parse after it gave.
    const script = (load) => `${load}
      const { createRequire } = require("node:module");
      const read = () => Object.keys(createRequire(${JSON.stringify(clientFile)}).cache).includes(${JSON.stringify(clientFile)});
      const out = { uuid: m.parseSession(${JSON.stringify(SEED)}).uuid, readAfterParse: read() };
      try { new m.SezzleClient({}); } catch (e) { out.made = [e instanceof m.SezzleError, e.kind, e.message, Object.getPrototypeOf(e) === m.SezzleError.prototype]; }
      out.readAfterClient = read();
      m.getSession("x", { token: "t", baseUrl: "http://127.0.0.1:9/v2", retries: 0 }).catch((e) => [e instanceof m.SezzleError, e.kind, e.message, Object.getPrototypeOf(e) === m.SezzleError.prototype]).then((got) => {
        out.got = got;
        out.parsedAfter = m.parseSession(${JSON.stringify(SEED)}).uuid === out.uuid;
        console.log(JSON.stringify(out));
      });`;
    const esm = pathToFileURL(join(copy, "node", "index.mjs")).href;
    const entries = {
      // (node -e runs CommonJS, whose require is a global the ES module must not take for a bundler's.)
      "import, from node -e": script(`import(${JSON.stringify(esm)}).then((m) => {`) + "});",
      require: script(`{ const m = require(${JSON.stringify(join(copy, "node", "index.cjs"))});`) + "}",
    };
    const runs = (label) =>
      Object.entries(entries).map(([entry, code]) => {
        const child = spawnSync(process.execPath, ["-e", code], { cwd: dir, encoding: "utf8" });
        assert.equal(child.status, 0, `${label}, ${entry}: ${child.stderr}`);
        return [entry, JSON.parse(child.stdout)];
      });
    for (const [entry, out] of runs("as installed")) {
      assert.equal(out.uuid, SEED_UUID, entry);
      assert.equal(out.readAfterParse, false, `${entry}: a parse read the client's file`);
      assert.equal(out.readAfterClient, true, entry);
      assert.deepEqual(out.made.slice(0, 2), [true, "invalid_argument"], entry);
      assert.deepEqual(out.got.slice(0, 2), [true, "network"], entry);
      // The client's file uses the entry's js/errors.js: its errors are the entry's SezzleErrors.
      assert.deepEqual([out.made[3], out.got[3]], [true, true], `${entry}: the client's errors are of another SezzleError class`);
      assert.ok(out.parsedAfter, entry);
    }
    for (const [label, replace] of [
      ["removed", () => rmSync(clientFile)],
      ["foreign", () => writeFileSync(clientFile, "module.exports = { makeClient: 42 };\n")],
      ["throwing", () => writeFileSync(clientFile, 'throw new Error("broken");\n')],
    ]) {
      replace();
      for (const [entry, out] of runs(label)) {
        assert.equal(out.uuid, SEED_UUID, `${label}, ${entry}`);
        for (const failure of [out.made, out.got]) {
          assert.deepEqual(failure.slice(0, 2), [true, "internal"], `${label}, ${entry}: ${failure}`);
          assert.match(failure[2], /^sezzle-session: the client module could not be loaded: /, `${label}, ${entry}`);
        }
        assert.ok(out.parsedAfter, `${label}, ${entry}`);
      }
      writeFileSync(clientFile, original);
    }
    // A failed load is not kept: the file back in place, the next client call loads it.
    const comeback = (load) => `${load}
      const { renameSync } = require("node:fs");
      const file = ${JSON.stringify(clientFile)};
      renameSync(file, file + ".away");
      const kinds = [];
      try { new m.SezzleClient({}); } catch (e) { kinds.push(e.kind); }
      renameSync(file + ".away", file);
      try { new m.SezzleClient({}); } catch (e) { kinds.push(e.kind); }
      console.log(JSON.stringify(kinds));`;
    for (const [entry, code] of [
      ["import", `import(${JSON.stringify(esm)}).then((m) => {${comeback("")}});`],
      ["require", `{ const m = require(${JSON.stringify(join(copy, "node", "index.cjs"))});${comeback("")}}`],
    ]) {
      const child = spawnSync(process.execPath, ["-e", code], { cwd: dir, encoding: "utf8" });
      assert.equal(child.status, 0, `${entry}: ${child.stderr}`);
      assert.deepEqual(JSON.parse(child.stdout), ["internal", "invalid_argument"], entry);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function run(api, count) {
  assert.equal(count(), 1, "the import compiled one module");
  assert.equal(api.parseSession(SEED).uuid, SEED_UUID);
  assert.equal(count(), 1, "parsing compiled nothing more");
  const error = (() => {
    try {
      new api.SezzleClient({});
    } catch (caught) {
      return caught;
    }
  })();
  assert.ok(error instanceof api.SezzleError && error.kind === "invalid_argument", String(error));
  assert.match(error.message, /publicKey and options\.privateKey are both required/);
  assert.equal(count(), 2, "the first client use compiled the client module");
  const gateway = await startMockGateway();
  try {
    const token = gateway.issueToken();
    assert.equal((await api.getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token })).uuid, SEED_UUID);
    assert.equal(count(), 2, "and only once");
  } finally {
    await gateway.close();
  }
}

async function inChromium(pages, use) {
  const server = await serveConsumer(pages);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    const requests = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => requests.push(new URL(r.url()).pathname));
    await use(page, `http://127.0.0.1:${server.address().port}`, requests);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
}

const page = (entry) => `<!doctype html><meta charset="utf-8">
<script type="module">import * as api from "${PKG}/${entry}"; window.api = api; window.ready = true;</script>`;

// What a page fetched of the package's client: the chunks and the modules of the client and
// of getSession.
const clientFiles = (requests) => requests.filter((path) => path.startsWith(PKG) && /(client|get)-(inline|file)|(client|get)_bg/.test(path)).map((path) => path.slice(PKG.length + 1).replace(/-[A-Z0-9]{8}\.js$/, ".js"));

test("in Chromium, the default entry fetches getSession's chunk on the first getSession call and nothing of the client module, not before", async () => {
  const gateway = await startMockGateway();
  try {
    const token = gateway.issueToken();
    await inChromium({ "/": [page("index.js")] }, async (tab, base, requests) => {
      await tab.goto(`${base}/`);
      await tab.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
      assert.equal(await tab.evaluate((seed) => window.api.parseSession(seed).uuid, SEED), SEED_UUID);
      assert.deepEqual(clientFiles(requests), [], "nothing of the client before a client call");
      const result = await tab.evaluate(async ({ baseUrl, token, uuid }) => {
        const { api } = window;
        const [first, second, refused] = await Promise.allSettled([api.getSession(uuid, { baseUrl, token }), api.getSession(uuid, { baseUrl, token }), api.getSession(uuid, { baseUrl })]);
        return { first: first.value?.uuid, second: second.value?.uuid, refused: refused.reason?.kind };
      }, { baseUrl: gateway.baseUrl, token, uuid: SEED_UUID });
      assert.deepEqual(result, { first: SEED_UUID, second: SEED_UUID, refused: "invalid_argument" });
      assert.deepEqual(clientFiles(requests), ["get-inline.js"], "one chunk, the getSession module inside it");
    });
  } finally {
    await gateway.close();
  }
});

test("in Chromium, the default entry fetches the client's chunk on the first call of SezzleClient, not before; a SezzleClient made meanwhile works, and getSession then takes the client module", async () => {
  const gateway = await startMockGateway();
  try {
    const token = gateway.issueToken();
    await inChromium({ "/": [page("index.js")] }, async (tab, base, requests) => {
      await tab.goto(`${base}/`);
      await tab.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
      assert.equal(await tab.evaluate((seed) => window.api.parseSession(seed).uuid, SEED), SEED_UUID);
      assert.deepEqual(clientFiles(requests), [], "nothing of the client before a client call");
      const result = await tab.evaluate(async ({ baseUrl, token, uuid }) => {
        const { api } = window;
        // Made before the chunk is here: the options are checked when it arrives.
        const client = new api.SezzleClient({ baseUrl, token });
        const bad = new api.SezzleClient({ baseUrl, publicKey: "only" });
        const [viaFunction, viaClient, refused] = await Promise.allSettled([api.getSession(uuid, { baseUrl, token }), client.getSession(uuid), bad.getSession(uuid)]);
        // And once it is here, the constructor throws at once, as in Node.
        let thrown;
        try {
          new api.SezzleClient({ baseUrl, publicKey: "only" });
        } catch (error) {
          thrown = error.kind;
        }
        return { viaFunction: viaFunction.value?.uuid, viaClient: viaClient.value?.uuid, refused: refused.reason?.kind, thrown, isClient: client instanceof api.SezzleClient };
      }, { baseUrl: gateway.baseUrl, token, uuid: SEED_UUID });
      assert.deepEqual(result, { viaFunction: SEED_UUID, viaClient: SEED_UUID, refused: "invalid_argument", thrown: "invalid_argument", isClient: true });
      assert.deepEqual(clientFiles(requests), ["client-inline.js"], "one chunk, the module inside it, which serves getSession too");
    });
  } finally {
    await gateway.close();
  }
});

test("in Chromium, the slim entry loads the getSession module from beside it on the first getSession call, or at once with init({ get: true }), or from a URL, and the client module likewise", async () => {
  const gateway = await startMockGateway();
  try {
    const token = gateway.issueToken();
    await inChromium({ "/": [page("slim.js")] }, async (tab, base, requests) => {
      const fetchOne = ({ baseUrl, token, uuid }) => window.api.getSession(uuid, { baseUrl, token }).then((s) => s.uuid, (e) => e.message);
      const args = { baseUrl: gateway.baseUrl, token, uuid: SEED_UUID };

      await tab.goto(`${base}/`);
      await tab.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
      const viaClient = ({ baseUrl, token, uuid }) => new window.api.SezzleClient({ baseUrl, token }).getSession(uuid).then((s) => s.uuid, (e) => e.message);

      await tab.goto(`${base}/`);
      await tab.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
      assert.equal(await tab.evaluate(() => window.api.getSession("x", {}).catch((e) => e.message)), "sezzle-session/slim: call init() or initSync() before getSession");
      assert.equal(await tab.evaluate(() => window.api.authenticate({}).catch((e) => e.message)), "sezzle-session/slim: call init() or initSync() before authenticate or new SezzleClient");
      await tab.evaluate(() => window.api.init());
      assert.deepEqual(clientFiles(requests), [], "init() loads the parser module only");
      assert.equal(await tab.evaluate(fetchOne, args), SEED_UUID);
      assert.deepEqual(clientFiles(requests), ["get-file.js", "sezzle_session_get_bg.wasm"], "getSession loads its module alone");
      assert.equal(await tab.evaluate(viaClient, args), SEED_UUID);
      assert.deepEqual(clientFiles(requests), ["get-file.js", "sezzle_session_get_bg.wasm", "client-file.js", "sezzle_session_client_bg.wasm"]);

      requests.length = 0;
      await tab.goto(`${base}/`);
      await tab.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
      await tab.evaluate(() => window.api.init({ get: true }));
      assert.deepEqual(clientFiles(requests), ["get-file.js", "sezzle_session_get_bg.wasm"], "init({ get: true }) loads both");
      await tab.evaluate(() => window.api.init({ client: true }));
      assert.deepEqual(clientFiles(requests), ["get-file.js", "sezzle_session_get_bg.wasm", "client-file.js", "sezzle_session_client_bg.wasm"], "init({ client: true }) loads both");
      assert.equal(await tab.evaluate(fetchOne, args), SEED_UUID);
      assert.equal(await tab.evaluate(viaClient, args), SEED_UUID);
      assert.equal(clientFiles(requests).length, 4, "nothing loaded twice");

      // The client module loaded first serves getSession too: nothing more is fetched for it.
      requests.length = 0;
      await tab.goto(`${base}/`);
      await tab.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
      await tab.evaluate(() => window.api.init({ client: true }));
      assert.deepEqual(clientFiles(requests), ["client-file.js", "sezzle_session_client_bg.wasm"], "init({ client: true }) loads both");
      assert.equal(await tab.evaluate(fetchOne, args), SEED_UUID);
      await tab.evaluate(() => window.api.init({ get: true }));
      assert.deepEqual(clientFiles(requests), ["client-file.js", "sezzle_session_client_bg.wasm"], "getSession takes the client module");

      requests.length = 0;
      await tab.goto(`${base}/`);
      await tab.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
      for (const name of ["client", "get"]) {
        const missing = await tab.evaluate((name) => window.api.init({ [name]: `/nowhere/${name}.wasm` }).catch((e) => ({ kind: e.kind, status: e.status })), name);
        assert.deepEqual(missing, { kind: "http", status: 404 }, `a ${name} URL that is not there is said at init`);
      }
      await tab.evaluate((urls) => window.api.init(urls), { client: `${PKG}/sezzle_session_client_bg.wasm`, get: `${PKG}/sezzle_session_get_bg.wasm` });
      assert.equal(await tab.evaluate(fetchOne, args), SEED_UUID);
      assert.equal(await tab.evaluate(viaClient, args), SEED_UUID);
    });
  } finally {
    await gateway.close();
  }
});

test("the slim client from bytes: init({ parser, client, get }) with the modules' bytes, in Node", async () => {
  const api = await import(`${pathToFileURL(join(installed, "web", "slim.js")).href}?split=2`);
  const bytes = (name) => readFileSync(join(installed, "web", name));
  await api.init({ parser: bytes("sezzle_session_bg.wasm"), client: new WebAssembly.Module(bytes("sezzle_session_client_bg.wasm")), get: bytes("sezzle_session_get_bg.wasm") });
  const gateway = await startMockGateway();
  try {
    const token = gateway.issueToken();
    const client = new api.SezzleClient({ baseUrl: gateway.baseUrl, token });
    assert.equal((await client.getSession(SEED_UUID)).uuid, SEED_UUID);
    assert.equal((await api.getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token })).uuid, SEED_UUID);
    assert.throws(() => new api.SezzleClient({}), (error) => error.kind === "invalid_argument", "loaded: the constructor checks at once");
  } finally {
    await gateway.close();
  }
});

test("in Chromium, a client chunk that cannot be fetched fails every call waiting on it with a SezzleError, and the parser goes on", async () => {
  await inChromium({ "/": [page("index.js")] }, async (tab, base) => {
    await tab.route(/(client|get)-inline-[A-Z0-9]+\.js$/, (route) => route.abort("connectionrefused"));
    await tab.goto(`${base}/`);
    await tab.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
    const result = await tab.evaluate(async (seed) => {
      const { api } = window;
      const unhandled = [];
      window.addEventListener("unhandledrejection", (e) => unhandled.push(String(e.reason)));
      const client = new api.SezzleClient({ token: "t" });
      const calls = [
        ...Array.from({ length: 5 }, () => api.getSession("fadbc642-05a4-4e38-9e74-80e325623af9", { token: "t" })),
        api.authenticate({ publicKey: "p", privateKey: "k" }),
        client.getSession("fadbc642-05a4-4e38-9e74-80e325623af9"),
      ];
      const outcomes = await Promise.allSettled(calls);
      await new Promise((r) => setTimeout(r, 50));
      return {
        failed: outcomes.map((o) => o.status === "rejected" && o.reason instanceof api.SezzleError && o.reason.kind === "internal" && /(client|getSession) module could not be loaded/.test(o.reason.message)),
        parsed: api.parseSession(seed).uuid,
        unhandled,
      };
    }, SEED);
    assert.deepEqual(result, { failed: Array(7).fill(true), parsed: SEED_UUID, unhandled: [] });
  });
});

test("in Chromium, where DecompressionStream is missing the default entry's client calls fail saying so, and the next call after it is back loads the client", async () => {
  const gateway = await startMockGateway();
  try {
    const token = gateway.issueToken();
    await inChromium({ "/": [page("index.js")] }, async (tab, base) => {
      await tab.goto(`${base}/`);
      await tab.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
      const result = await tab.evaluate(async ({ baseUrl, token, uuid }) => {
        const { api } = window;
        const kept = globalThis.DecompressionStream;
        delete globalThis.DecompressionStream;
        const missing = await api.getSession(uuid, { baseUrl, token }).catch((error) => error);
        globalThis.DecompressionStream = kept;
        const session = await api.getSession(uuid, { baseUrl, token });
        return { kind: missing.kind, says: /DecompressionStream/.test(missing.message) && /slim/.test(missing.message), isError: missing instanceof api.SezzleError, uuid: session.uuid };
      }, { baseUrl: gateway.baseUrl, token, uuid: SEED_UUID });
      assert.deepEqual(result, { kind: "internal", says: true, isError: true, uuid: SEED_UUID });
    });
  } finally {
    await gateway.close();
  }
});
