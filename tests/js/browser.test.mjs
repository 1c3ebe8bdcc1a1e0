// The packed package's browser build, imported by name (an import map) in headless Chromium.
import test from "node:test";
import assert from "node:assert/strict";
import { launchChromium, serveConsumer } from "./chromium.mjs";
import { startMockGateway } from "./mock.mjs";
import { consumer, fixtureText } from "./packed.mjs";

const PAGE = `<!doctype html><meta charset="utf-8"><title>sezzle-session</title>
<script type="importmap">{"imports":{"sezzle-session":"/node_modules/sezzle-session/web/index.js"}}</script>
<script type="module">import * as api from "sezzle-session"; window.api = api; window.ready = true;</script>`;

// Opens the test page in a fresh headless Chromium and hands it to `use`.
async function withPage(use) {
  const server = await serveConsumer({ "/": [PAGE] });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
    await use(page);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
}

test("getSession in Chromium: a session, a 404, a retried 503, a timeout and an abort, across origins", async () => {
  const gateway = await startMockGateway();
  try {
    const token = gateway.issueToken();
    gateway.fault("GET", /\/v2\/session\/retried$/, { status: 503 });
    gateway.fault("GET", /\/v2\/session\/slow$/, { delayMs: 2000 });
    gateway.fault("GET", /\/v2\/session\/abandoned$/, { delayMs: 5000 });
    await withPage(async (page) => {
      const result = await page.evaluate(async ({ baseUrl, token }) => {
        const { api } = window;
        const outcome = async (promise) => {
          try {
            const session = await promise;
            return { uuid: session.uuid };
          } catch (e) {
            return { isSezzle: e instanceof api.SezzleError, kind: e.kind, status: e.status, code: e.apiErrors?.[0]?.code, debugUuid: e.debugUuid, message: e.message };
          }
        };
        const controller = new AbortController();
        const aborted = outcome(api.getSession("abandoned", { baseUrl, token, signal: controller.signal }));
        setTimeout(() => controller.abort(), 100);
        return {
          ok: await outcome(api.getSession("fadbc642-05a4-4e38-9e74-80e325623af9", { baseUrl, token })),
          missing: await outcome(api.getSession("no-such-session", { baseUrl, token })),
          retried: await outcome(api.getSession("retried", { baseUrl, token })),
          slow: await outcome(api.getSession("slow", { baseUrl, token, timeoutMs: 200, retries: 0 })),
          unsafe: await outcome(api.getSession("../authentication", { baseUrl, token })),
          aborted: await aborted,
        };
      }, { baseUrl: gateway.baseUrl, token });
      assert.deepEqual(result.ok, { uuid: "fadbc642-05a4-4e38-9e74-80e325623af9" });
      assert.equal(result.missing.isSezzle, true);
      assert.equal(result.missing.kind, "http");
      assert.equal(result.missing.status, 404);
      assert.equal(result.missing.code, "not_found");
      assert.match(result.missing.message, /Session not found .*debug_uuid/);
      assert.equal(result.retried.status, 404, "503 then the mock's 404 for an unknown uuid");
      assert.equal(result.slow.kind, "timeout");
      assert.equal(result.unsafe.kind, "invalid_argument");
      assert.equal(result.aborted.kind, "aborted");
    });
    const seen = gateway.requests.filter((r) => r.path !== "/v2/session/abandoned").map((r) => `${r.path} ${r.headers.authorization === `Bearer ${token}`}`);
    assert.deepEqual(seen.sort(), [
      "/v2/session/fadbc642-05a4-4e38-9e74-80e325623af9 true",
      "/v2/session/no-such-session true",
      "/v2/session/retried true",
      "/v2/session/retried true",
      "/v2/session/slow true",
    ]);
  } finally {
    await gateway.close();
  }
});

test("the browser build parses, extracts and fails the same way in Chromium", () =>
  withPage(async (page) => {
    const result = await page.evaluate((seed) => {
      const { api } = window;
      const session = api.parseSession(seed);
      const bytes = api.parseSession(new TextEncoder().encode(seed));
      let thrown;
      try {
        api.parseSession('{"uuid": 42}');
      } catch (e) {
        thrown = { isSezzle: e instanceof api.SezzleError, isError: e instanceof Error, name: e.name, kind: e.kind, path: e.issues[0].path, code: e.issues[0].code };
      }
      const weird = [undefined, null, 1, document.body, window, new Uint8Array([0xff])].map((x) => api.safeParseSession(x).success);
      return {
        uuid: session.uuid,
        sameFromBytes: JSON.stringify(bytes) === JSON.stringify(session),
        tokenizeToken: session.tokenize.token,
        checkout: api.checkoutUrl(session),
        self: api.findLink(session.order.links, "self", "PATCH").method,
        thrown,
        weird,
      };
    }, fixtureText("valid/seed.json"));
    assert.equal(result.uuid, "fadbc642-05a4-4e38-9e74-80e325623af9");
    assert.ok(result.sameFromBytes);
    assert.equal(result.tokenizeToken, "7ec98824-67cc-469c-86ab-f9e047f9cf1a");
    assert.equal(result.checkout, "https://checkout.sezzle.com/?id=12a34bc5-6de7-890f-g123-4hi1238jk902");
    assert.equal(result.self, "PATCH");
    assert.deepEqual(result.thrown, { isSezzle: true, isError: true, name: "SezzleError", kind: "validation", path: ["uuid"], code: "invalid_type" });
    assert.deepEqual(result.weird, [false, false, false, false, false, false]);
  }));

test("in Chromium too, a trap in the module is followed by a fresh instance, and a lying length reads nothing stale", () =>
  withPage(async (page) => {
    const result = await page.evaluate((seed) => {
      const { api } = window;
      const internals = api.parseSession[Symbol.for("sezzle-session.internals")];
      const before = internals.memory();
      new Uint8Array(before.buffer).fill(0xab); // the next call into it traps
      let trapped;
      try {
        api.parseSession(seed);
      } catch (e) {
        trapped = { kind: e.kind, cause: e.cause?.constructor?.name };
      }
      const liar = new Uint8Array(0);
      Object.defineProperty(liar, "length", { value: seed.length });
      return {
        trapped,
        renewed: internals.memory() !== before,
        after: api.parseSession(seed).uuid,
        liar: api.safeParseSession(liar).error?.issues[0].code,
      };
    }, fixtureText("valid/seed.json"));
    assert.deepEqual(result, {
      trapped: { kind: "internal", cause: "RuntimeError" },
      renewed: true,
      after: "fadbc642-05a4-4e38-9e74-80e325623af9",
      liar: "invalid_json",
    });
  }));

// Issue 20 in Chromium: the generations, the one listener per signal, and the body read in
// bulk (tests/js/generations.test.mjs and body.test.mjs hold Node to the same).
test("in Chromium, an instance that traps with 100 calls in flight: each settles, the next 100 get their own answers, 5 runs", async () => {
  const gateway = await startMockGateway();
  try {
    const token = gateway.issueToken();
    await withPage(async (page) => {
      page.on("console", () => {}); // (a page error still fails the test, in withPage)
      for (let run = 0; run < 5; run++) {
        gateway.reset();
        gateway.fault("GET", /^\/v2\/session\//, ...Array.from({ length: 100 }, () => ({ delayMs: 60 })));
        const result = await page.evaluate(async ({ baseUrl, token, seed }) => {
          const { api } = window;
          // The client module's instance (loaded by the first client call).
          const internals = api.getSession[Symbol.for("sezzle-session.internals")];
          await internals.load();
          const uncaught = [];
          const onError = (e) => uncaught.push(String(e.reason ?? e.message));
          window.addEventListener("error", onError);
          window.addEventListener("unhandledrejection", onError);
          const uuidOf = (i) => (i % 2 ? "fadbc642-05a4-4e38-9e74-80e325623af9" : `unknown-${i}`);
          const own = (uuid, o) =>
            o.status === "fulfilled" ? o.value.uuid === uuid : o.reason.kind === "http" && o.reason.status === 404 && o.reason.message.includes(`/v2/session/${uuid}:`);
          const options = { baseUrl, token, retries: 0, timeoutMs: 5000 };
          // Handled at once: an answer that comes before the trap is no unhandled rejection.
          const inFlight = Promise.allSettled(Array.from({ length: 100 }, (_, i) => api.getSession(uuidOf(i), options)));
          await new Promise((r) => setTimeout(r, 50));
          const before = internals.generation();
          new Uint8Array(internals.memory().buffer).fill(0xab);
          const trapped = await api.getSession(uuidOf(1), options).then(() => "no trap", (e) => e.kind);
          const after = Promise.allSettled(Array.from({ length: 100 }, (_, i) => api.getSession(uuidOf(i), options)));
          const first = await inFlight;
          const then = await after;
          await new Promise((r) => setTimeout(r, 300)); // the old calls' answers arrive
          window.removeEventListener("error", onError);
          window.removeEventListener("unhandledrejection", onError);
          return {
            trapped,
            replaced: internals.generation() !== before,
            inFlight: first.every((o, i) => (o.status === "rejected" && o.reason.kind === "internal") || own(uuidOf(i), o)),
            after: then.every((o, i) => own(uuidOf(i), o)),
            uncaught,
          };
        }, { baseUrl: gateway.baseUrl, token, seed: fixtureText("valid/seed.json") });
        assert.deepEqual(result, { trapped: "internal", replaced: true, inFlight: true, after: true, uncaught: [] }, `run ${run}`);
      }
    });
  } finally {
    await gateway.close();
  }
});

test("in Chromium, many calls on one signal add one listener; 1 MiB in 1-byte chunks is read within its timeout", async () => {
  const gateway = await startMockGateway();
  try {
    const token = gateway.issueToken();
    await withPage(async (page) => {
      const result = await page.evaluate(async ({ baseUrl, token, seed }) => {
        const { api } = window;
        const uuid = "fadbc642-05a4-4e38-9e74-80e325623af9";
        const listeners = new Set();
        const signal = { aborted: false, addEventListener: (t, l) => listeners.add(l), removeEventListener() {} };
        const sessions = await Promise.all(Array.from({ length: 20 }, () => api.getSession(uuid, { baseUrl, token, signal })));
        let thrown = [];
        try {
          for (const listener of listeners) listener();
        } catch (e) {
          thrown.push(String(e));
        }
        const body = new Uint8Array(1024 * 1024).fill(0x20);
        body.set(new TextEncoder().encode(seed));
        let at = 0;
        const fetch = async () =>
          new Response(new ReadableStream({ pull: (c) => (at >= body.length ? c.close() : c.enqueue(body.subarray(at, ++at))) }, { highWaterMark: 0 }), {
            headers: { "content-type": "application/json" },
          });
        const big = await api.getSession(uuid, { baseUrl, token, fetch, retries: 0, timeoutMs: 20000 }).then((s) => s.uuid, (e) => e.message);
        return { all: sessions.every((s) => s.uuid === uuid), listeners: listeners.size, thrown, big };
      }, { baseUrl: gateway.baseUrl, token, seed: fixtureText("valid/seed.json") });
      assert.deepEqual(result, { all: true, listeners: 1, thrown: [], big: "fadbc642-05a4-4e38-9e74-80e325623af9" });
    });
  } finally {
    await gateway.close();
  }
});
