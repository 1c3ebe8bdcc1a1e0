// Issue 20, every argument path: options, signals, headers and what a fetch resolves to are
// reached only through calls that catch, so a revoked Proxy or a getter that throws is
// `invalid_argument` (or, from a fetch, `network`), never `internal` and never an exception
// across the module; and every exported function, at any stack depth, throws or rejects with
// a SezzleError only.
import test, { beforeEach } from "node:test";
import assert from "node:assert/strict";
import { SEED_UUID, onMockGateway } from "./on-mock.mjs";
import { esm, fixtureText, rejection } from "./packed.mjs";

const { getSession, authenticate, SezzleClient, SezzleError } = esm;

const mock = onMockGateway();
let gateway;
let token;
beforeEach(() => ({ gateway, token } = mock));

function revoked(target = {}) {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}
const throwing = (target = {}) => new Proxy(target, { get() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); }, ownKeys() { throw new Error("trap"); } });

test("revoked Proxies and throwing traps as options, signal, headers or fetch are invalid_argument for every client entry", async () => {
  const base = () => ({ baseUrl: gateway.baseUrl, token });
  const hostile = {
    "options: a revoked Proxy": () => revoked(),
    "options: a Proxy whose traps throw": () => throwing(),
    "options: a getter that throws": () => ({ ...base(), get timeoutMs() { throw new Error("getter"); } }),
    "signal: a revoked Proxy": () => ({ ...base(), signal: revoked() }),
    "signal: a Proxy whose traps throw": () => ({ ...base(), signal: throwing() }),
    "signal: aborted is a getter that throws": () => ({ ...base(), signal: { get aborted() { throw new Error("x"); }, addEventListener() {}, removeEventListener() {} } }),
    "headers: a revoked Proxy": () => ({ ...base(), headers: revoked() }),
    "headers: a Proxy whose traps throw": () => ({ ...base(), headers: throwing() }),
    "headers: a getter that throws": () => ({ ...base(), headers: { get "x-a"() { throw new Error("x"); } } }),
    "fetch: a revoked Proxy": () => ({ ...base(), fetch: revoked(() => {}) }),
    "onEvent: a revoked Proxy": () => ({ ...base(), onEvent: revoked(() => {}) }),
  };
  for (const [label, make] of Object.entries(hostile)) {
    const calls = {
      getSession: () => getSession(SEED_UUID, make()),
      authenticate: () => authenticate(make()),
      "new SezzleClient": () => new SezzleClient(make()),
      "client.getSession": () => new SezzleClient(base()).getSession(SEED_UUID, make()),
    };
    for (const [name, call] of Object.entries(calls)) {
      // The client call's own options take only signal, timeoutMs and retries: all the
      // others are unknown options there, refused all the same.
      const error = await rejection(Promise.resolve().then(call), `${name}, ${label}`);
      assert.equal(error.kind, "invalid_argument", `${name}, ${label}: ${error.message}`);
    }
  }
  assert.equal(gateway.requests.length, 0);
});

test("a fetch that resolves a revoked Proxy, or a Response-like whose getters throw, is a network error", async () => {
  const answers = [revoked(), throwing(), { get status() { throw new Error("x"); }, headers: new Headers(), type: "basic" }, { status: 200, headers: revoked(), type: "basic" }];
  for (const answer of answers) {
    const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, retries: 0, fetch: async () => answer }));
    assert.equal(error.kind, "network", error.message);
  }
});

// Calls `call` at every depth from the stack's end up, until one completes; returns what was
// thrown at each depth.
function atEveryDepth(call, pad = 0) {
  const thrown = [];
  let done = false;
  const padding = Array(pad).fill(0);
  const dive = (...frame) => {
    try {
      dive(...frame);
    } catch {}
    if (done) return;
    try {
      call();
      done = true;
    } catch (error) {
      thrown.push(error);
    }
  };
  dive(...padding);
  return thrown;
}

// A RangeError the caller's own call throws: the stack ran out where the caller's frame calls
// the package's function, or in the prologue of that function, the package's outermost, before
// any of its code ran (V8 names its frame then): no other frame of the package's is on it.
function isCallersOwn(error) {
  if (!(error instanceof RangeError)) return false;
  const frames = String(error.stack).split("\n").slice(1, 4);
  const own = frames.map((line) => /node_modules\/sezzle-session/.test(line));
  return !own[0] ? !own.some(Boolean) : !own[1];
}

test("every exported function at any stack depth throws or rejects with a SezzleError only", async () => {
  const seedText = fixtureText("valid/seed.json");
  const session = esm.parseSession(seedText);
  const options = { baseUrl: gateway.baseUrl, token, retries: 0 };
  const client = new SezzleClient(options);
  const sync = {
    parseSession: () => esm.parseSession(seedText),
    "parseSession(object)": () => esm.parseSession(JSON.parse(seedText)),
    checkoutUrl: () => esm.checkoutUrl(session),
    "checkoutUrl(text)": () => esm.checkoutUrl(seedText),
    approvalUrl: () => esm.approvalUrl(seedText),
    findLink: () => esm.findLink(session.links, "self"),
    "new SezzleClient": () => new SezzleClient(options),
  };
  for (const [name, call] of Object.entries(sync)) {
    for (const error of atEveryDepth(call)) {
      assert.ok(error instanceof SezzleError || isCallersOwn(error), `${name}: ${error?.stack ?? error}`);
    }
  }
  // safeParseSession and the Standard Schema never throw but the caller's own RangeError.
  for (const [name, call] of [["safeParseSession", () => esm.safeParseSession(seedText)], ["sessionSchema", () => esm.sessionSchema["~standard"].validate(seedText)]]) {
    for (const error of atEveryDepth(call)) assert.ok(isCallersOwn(error), `${name}: ${error?.stack ?? error}`);
  }
  const async = {
    getSession: () => getSession(SEED_UUID, options),
    authenticate: () => authenticate({ baseUrl: gateway.baseUrl, ...gateway.keys }),
    "client.getSession": () => client.getSession(SEED_UUID),
  };
  for (const [name, call] of Object.entries(async)) {
    const promises = [];
    for (const error of atEveryDepth(() => promises.push(call()))) {
      assert.ok(error instanceof SezzleError || isCallersOwn(error), `${name}: ${error?.stack ?? error}`);
    }
    for (const outcome of await Promise.allSettled(promises)) {
      if (outcome.status === "rejected") assert.ok(outcome.reason instanceof SezzleError, `${name}: ${outcome.reason?.stack}`);
    }
  }
  // And the package is whole afterwards.
  assert.equal((await getSession(SEED_UUID, options)).uuid, SEED_UUID);
  assert.deepEqual(esm.parseSession(seedText), session);
});

// The stack's end is the caller's, not the payload's: a valid payload is never judged invalid
// there, and the error says what ran out (kind internal, the stack's own message).
test("at the stack's end a valid payload is never judged invalid: each call answers its session or that the stack ran out", () => {
  const seedText = fixtureText("valid/seed.json");
  const seed = JSON.parse(seedText);
  const bytes = new TextEncoder().encode(seedText);
  // Each a few times, from frames of other sizes (each dive's frame holds `pad` more
  // arguments), so that the stack's end falls at other points inside the package.
  const everyWay = (call) => [0, 1, 2, 3, 5, 8, 13].flatMap((pad) => atEveryDepth(call, pad));
  const thrown = {
    text: everyWay(() => esm.parseSession(seedText)),
    bytes: everyWay(() => esm.parseSession(bytes)),
    object: everyWay(() => esm.parseSession(seed)),
    "checkoutUrl(object)": everyWay(() => esm.checkoutUrl(seed)),
  };
  const answers = [];
  atEveryDepth(() => answers.push(esm.safeParseSession(seed)));
  for (const [name, errors] of Object.entries(thrown)) {
    for (const error of errors.filter((e) => !isCallersOwn(e))) {
      assert.ok(error instanceof SezzleError, `${name}: ${error?.stack ?? error}`);
      assert.equal(error.kind, "internal", `${name}: ${error.message}`);
    }
  }
  assert.ok(thrown.object.some((e) => e instanceof SezzleError && /the JavaScript stack ran out/.test(e.message)), "the object's reading ran out of stack somewhere");
  // (safeParseSession never throws: the first depth at which its answer could be kept ends
  // the dive, and that answer is the stack's, or the session.)
  assert.ok(answers.length >= 1);
  for (const answer of answers) {
    if (!answer.success) assert.equal(answer.error.kind, "internal", answer.error.message);
  }
  assert.ok(esm.safeParseSession(seed).success);
});

test("a call's signal that is none is refused, also on a client that has a signal of its own", async () => {
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, token, signal: new AbortController().signal });
  for (const signal of [{}, { aborted: "no", addEventListener() {}, removeEventListener() {} }, 42]) {
    const error = await rejection(client.getSession(SEED_UUID, { signal }));
    assert.equal(error.kind, "invalid_argument");
    assert.match(error.message, /^client\.getSession: options\.signal must be an AbortSignal$/);
  }
  assert.equal(gateway.requests.length, 0);
});
