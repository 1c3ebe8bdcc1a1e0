// Issue 20: a failure of the module's instance never crosses calls. Calls in flight on an
// instance that fails settle with kind internal, nothing the old instance scheduled reaches
// the new one or throws where the caller cannot catch it, calls made afterwards each get
// their own answer; and what the package adds to a caller's signal outlives no call.
import test, { beforeEach } from "node:test";
import assert from "node:assert/strict";
import { SESSION_PATH, SEED_UUID, onMockGateway } from "./on-mock.mjs";
import { esm, fixtureText, rejection } from "./packed.mjs";

const { getSession, parseSession, SezzleClient, SezzleError } = esm;
// The client module's instance (loaded on the first client call): these tests break it.
const internals = getSession[Symbol.for("sezzle-session.internals")];
await internals.load();
const clientMemory = () => internals.memory();
// The parser module's, which a failure of the client's leaves alone.
const parserInternals = parseSession[Symbol.for("sezzle-session.internals")];
const seedText = fixtureText("valid/seed.json");

const mock = onMockGateway();
let gateway;
let token;
beforeEach(() => ({ gateway, token } = mock));

// The uuids the mock serves (its fixtures) and some it does not: every call's answer names
// its own uuid, as a session or in a 404's message.
const KNOWN = ["fadbc642-05a4-4e38-9e74-80e325623af9"];
const uuidOf = (i) => (i % 2 === 0 ? KNOWN[0] : `unknown-${i}`);

function ownAnswer(uuid, outcome) {
  if (outcome.status === "fulfilled") return outcome.value.uuid === uuid;
  const error = outcome.reason;
  return error instanceof SezzleError && error.kind === "http" && error.status === 404 && error.message.includes(`/v2/session/${uuid}:`);
}

// Everything a process would report as uncaught meanwhile.
function watchUncaught() {
  const seen = [];
  const onError = (error) => seen.push(error);
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  return {
    seen,
    stop() {
      process.off("uncaughtException", onError);
      process.off("unhandledRejection", onError);
    },
  };
}

// A call that has not settled after `ms` is a failure of its own, not a hung test. The
// promises are handled at once (an answer may come before the test awaits it).
function settledWithin(promises, ms) {
  const all = Promise.allSettled(promises);
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`calls not settled after ${ms} ms`)), ms)));
  return Promise.race([all, late]).finally(() => clearTimeout(timer));
}

// Makes the client module's current instance fail inside a client.getSession call: its
// memory wrecked (a panic, a real trap), or the JS stack run out at every depth near its end
// until one call fails inside the module. (client.getSession enters the module at once, to
// read its options; a getSession call with the options of the last one may not enter it
// until its answer comes.) What a caller at the stack's end gets is a rejection with a
// SezzleError, or the RangeError of its own call (thrown where the caller's frame calls ours,
// before any of the package's code runs). The parser module's instance stays.
function breakInstance(how, options) {
  const before = internals.generation();
  const parser = parserInternals.generation();
  const client = new SezzleClient(options);
  const calls = [];
  if (how === "trap") {
    new Uint8Array(clientMemory().buffer).fill(0xab);
    calls.push(client.getSession(SEED_UUID));
  } else {
    const dive = (n) => {
      try {
        dive(n + 1);
      } catch {}
      if (internals.generation() !== before) return;
      try {
        calls.push(client.getSession(SEED_UUID));
      } catch (error) {
        assert.ok(error instanceof SezzleError || (error instanceof RangeError && !/sezzle-session/.test(error.stack.split("\n")[1])), `at the stack's end: ${error.stack}`);
      }
    };
    dive(0);
  }
  const failed = internals.generation() !== before;
  // Every call made here settles: with its session, or a SezzleError (internal when it met the failure).
  const settled = Promise.allSettled(calls).then((outcomes) => {
    for (const o of outcomes) assert.ok(o.status === "fulfilled" || o.reason instanceof SezzleError, String(o.reason));
  });
  assert.equal(parserInternals.generation(), parser, "the parser module's instance is not the client's");
  return { failed, settled };
}

for (const how of ["trap", "stack"]) {
  test(`an instance that fails (${how}) with 200 calls in flight: each settles, later calls get their own answers, 10 runs`, async () => {
    const watch = watchUncaught();
    try {
      for (let run = 0; run < 10; run++) {
        gateway.reset();
        gateway.fault("GET", SESSION_PATH, ...Array.from({ length: 200 }, () => ({ delayMs: 150 })));
        const client = new SezzleClient({ baseUrl: gateway.baseUrl, token, retries: 0, timeoutMs: 5_000 });
        const inFlight = Array.from({ length: 200 }, (_, i) =>
          i % 2 ? getSession(uuidOf(i), { baseUrl: gateway.baseUrl, token, retries: 0, timeoutMs: 5_000 }) : client.getSession(uuidOf(i)),
        );
        const firstSettled = settledWithin(inFlight, 8_000);
        // Each call is on its way, waiting on the gateway.
        await new Promise((resolve) => setTimeout(resolve, 30));
        const before = internals.generation();
        const { failed: replaced, settled } = breakInstance(how, { baseUrl: gateway.baseUrl, token, retries: 0, timeoutMs: 5_000 });
        if (how === "trap") assert.ok(replaced, "a trap replaced no instance");
        const after = Array.from({ length: 200 }, (_, i) => getSession(uuidOf(i), { baseUrl: gateway.baseUrl, token, retries: 0, timeoutMs: 5_000 }));
        assert.equal(internals.generation() !== before, replaced, "the instance was replaced if and only if it failed");
        const [first, then] = await Promise.all([firstSettled, settledWithin(after, 8_000), settled]);
        first.forEach((outcome, i) => {
          if (replaced) {
            // Failed with kind internal, unless it had its own answer first.
            const failed = outcome.status === "rejected" && outcome.reason instanceof SezzleError && outcome.reason.kind === "internal";
            assert.ok(failed || ownAnswer(uuidOf(i), outcome), `run ${run}, in flight ${i}: ${outcome.reason ?? outcome.value?.uuid}`);
          } else {
            assert.ok(ownAnswer(uuidOf(i), outcome), `run ${run}, in flight ${i} (no replacement): ${outcome.reason}`);
          }
        });
        then.forEach((outcome, i) => assert.ok(ownAnswer(uuidOf(i), outcome), `run ${run}, after ${i}: ${outcome.reason ?? outcome.value?.uuid}`));
        // The client made before the failure refuses to go on, with a clear error.
        if (replaced) {
          const refused = await rejection(client.getSession(SEED_UUID));
          assert.equal(refused.kind, "internal");
          assert.match(refused.message, /make a new SezzleClient/);
        }
        // Let whatever the old instance scheduled come due (the gateway answers the old calls).
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal((await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token })).uuid, SEED_UUID);
      }
      assert.deepEqual(watch.seen, []);
    } finally {
      watch.stop();
    }
  });
}

test("a signal whose removeEventListener does nothing, fired after its call settled, finds nothing to do", async () => {
  const watch = watchUncaught();
  try {
    const listeners = [];
    const signal = {
      aborted: false,
      addEventListener: (type, listener) => listeners.push(listener),
      removeEventListener() {},
    };
    for (let i = 0; i < 3; i++) {
      assert.equal((await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, signal })).uuid, SEED_UUID);
    }
    // One listener for the signal, however many calls it served.
    assert.equal(new Set(listeners).size, 1);
    signal.aborted = true;
    await new Promise((resolve) => setTimeout(() => resolve(listeners.forEach((listener) => listener({ type: "abort" }))), 0));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(watch.seen, []);
  } finally {
    watch.stop();
  }
});

test("many calls on one signal add one listener to it, and Node prints no MaxListenersExceededWarning", async () => {
  const warnings = [];
  const onWarning = (warning) => warnings.push(warning);
  process.on("warning", onWarning);
  try {
    const controller = new AbortController();
    const client = new SezzleClient({ baseUrl: gateway.baseUrl, token, signal: controller.signal });
    const calls = Array.from({ length: 50 }, (_, i) =>
      i % 2 ? getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, signal: controller.signal }) : client.getSession(SEED_UUID, { signal: controller.signal }),
    );
    for (const session of await Promise.all(calls)) assert.equal(session.uuid, SEED_UUID);
    // And the one listener still ends every call when it fires.
    gateway.fault("GET", SESSION_PATH, ...Array.from({ length: 20 }, () => ({ delayMs: 2_000 })));
    const pending = Array.from({ length: 20 }, () => getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, signal: controller.signal, retries: 0 }));
    setTimeout(() => controller.abort("enough"), 30);
    for (const outcome of await Promise.allSettled(pending)) {
      assert.equal(outcome.reason?.kind, "aborted");
      assert.equal(outcome.reason.cause, "enough");
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings.map(String), []);
  } finally {
    process.off("warning", onWarning);
  }
});

test("a trap inside the old instance's own callback (a fetch settling into wrecked memory) fails its calls in flight, with nothing uncaught", async () => {
  const watch = watchUncaught();
  try {
    gateway.fault("GET", SESSION_PATH, ...Array.from({ length: 50 }, () => ({ delayMs: 100 })));
    const before = internals.generation();
    const inFlight = settledWithin(
      Array.from({ length: 50 }, (_, i) => getSession(uuidOf(i), { baseUrl: gateway.baseUrl, token, retries: 0 })),
      8_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    // No call of ours enters the instance now: the first to find the wreck is a callback of
    // its own, when the gateway answers.
    new Uint8Array(clientMemory().buffer).fill(0xab);
    const outcomes = await inFlight;
    for (const outcome of outcomes) {
      assert.equal(outcome.status, "rejected");
      assert.equal(outcome.reason.kind, "internal", outcome.reason.message);
    }
    assert.notEqual(internals.generation(), before, "the instance was not replaced");
    const after = await Promise.all(Array.from({ length: 20 }, (_, i) => getSession(uuidOf(i), { baseUrl: gateway.baseUrl, token }).catch((error) => error)));
    after.forEach((outcome, i) => assert.ok(ownAnswer(uuidOf(i), outcome.uuid ? { status: "fulfilled", value: outcome } : { status: "rejected", reason: outcome })));
    assert.deepEqual(watch.seen, []);
  } finally {
    watch.stop();
  }
});
