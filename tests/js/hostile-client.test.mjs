// Attacks on the Rust client found by a review (session 7), each a test that failed before its
// fix: a gateway's token no header can carry, a Retry-After beyond what a JS number holds, a
// body stream of endless empty chunks, a real Content-Length, a secret cut at a message's
// length limit, and signals that are not native AbortSignals on a client with its own.
import test, { beforeEach } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { AUTH_PATH, SEED_UUID, SESSION_PATH, onMockGateway } from "./on-mock.mjs";
import { esm, fixtureText, rejection } from "./packed.mjs";

const { getSession, SezzleClient } = esm;

const mock = onMockGateway();
let gateway;
let token;
beforeEach(() => ({ gateway, token } = mock));

// A call that has not settled after `ms` is a failure of its own, not a hung test.
function within(promise, ms) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`not settled after ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

test("a gateway's token that no header can carry is a validation error; the client goes on", async () => {
  gateway.fault("POST", AUTH_PATH, { status: 200, body: JSON.stringify({ token: "tok\n1", expiration_date: "2099-01-01T00:00:00Z" }) });
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys });
  const error = await rejection(within(client.getSession(SEED_UUID), 5_000));
  assert.equal(error.kind, "validation");
  assert.match(error.message, /token is not printable ASCII without spaces/);
  assert.equal((await within(client.getSession(SEED_UUID), 5_000)).uuid, SEED_UUID);
});

test("a Retry-After beyond what a JS number holds is an http error with retryAfterMs held to 2^53 - 1", async () => {
  gateway.fault("GET", SESSION_PATH, { status: 429, body: "[]", headers: { "retry-after": "99999999999999999" } });
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys, retries: 0 });
  const error = await rejection(client.getSession(SEED_UUID));
  assert.equal(error.kind, "http");
  assert.equal(error.status, 429);
  assert.equal(error.retryAfterMs, Number.MAX_SAFE_INTEGER);
  assert.ok(!inspect(error, { depth: 10, showHidden: true }).includes(gateway.keys.privateKey));
});

test("a body stream of endless empty chunks ends at timeoutMs, and the caller's signal still works", async () => {
  const endless = async () => new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(0)) }), { headers: { "content-type": "application/json" } });
  const options = { baseUrl: gateway.baseUrl, token, fetch: endless, retries: 0 };
  const timedOut = await rejection(within(getSession(SEED_UUID, { ...options, timeoutMs: 100 }), 5_000));
  assert.equal(timedOut.kind, "timeout");
  const controller = new AbortController();
  setTimeout(() => controller.abort("stop"), 50);
  const aborted = await rejection(within(getSession(SEED_UUID, { ...options, timeoutMs: 10_000, signal: controller.signal }), 5_000));
  assert.equal(aborted.kind, "aborted");
  assert.equal(aborted.cause, "stop");
});

test("an answer with a Content-Length, as real gateways send, is read", async () => {
  const body = fixtureText("valid/seed.json");
  gateway.fault("GET", SESSION_PATH, { status: 200, body, headers: { "content-length": String(Buffer.byteLength(body)) } });
  assert.equal((await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token })).uuid, SEED_UUID);
});

test("a secret cut at a message's length limit is removed up to the cut", async () => {
  const secret = "tok_SECRET_0123456789abcdef0123456789abcdef";
  const fetch = async (url, init) => {
    throw new Error(`${"x".repeat(250)} request failed with header ${init.headers.authorization}`);
  };
  const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token: secret, fetch, retries: 0 }));
  assert.equal(error.kind, "network");
  assert.ok(!error.message.includes(secret.slice(0, 8)), error.message);
  assert.match(error.message, /\[redacted\]…/);
});

test("signals that are not native AbortSignals end a SezzleClient's call, the call's own and the client's", async () => {
  class PolyfillSignal extends EventTarget {
    aborted = false;
    fire(reason) {
      this.aborted = true;
      this.reason = reason;
      this.dispatchEvent(new Event("abort"));
    }
  }
  const never = () => new Promise(() => {});
  const make = (signal) => new SezzleClient({ baseUrl: gateway.baseUrl, token, fetch: never, signal, timeoutMs: 10_000, retries: 0 });
  const own = new PolyfillSignal();
  const first = make(new AbortController().signal).getSession(SEED_UUID, { signal: own });
  setTimeout(() => own.fire("own"), 30);
  const a = await rejection(within(first, 5_000));
  assert.equal(a.kind, "aborted");
  assert.equal(a.cause, "own");
  const clients = new AbortController();
  const second = make(clients.signal).getSession(SEED_UUID, { signal: Object.freeze(new PolyfillSignal()) });
  setTimeout(() => clients.abort("client"), 30);
  const b = await rejection(within(second, 5_000));
  assert.equal(b.kind, "aborted");
  assert.equal(b.cause, "client");
});

test("a call's own timeoutMs also bounds its wait for a shared authentication", async () => {
  gateway.fault("POST", AUTH_PATH, { delayMs: 2_000 });
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys, timeoutMs: 5_000 });
  const error = await rejection(within(client.getSession(SEED_UUID, { timeoutMs: 200 }), 5_000));
  assert.equal(error.kind, "timeout");
  assert.match(error.message, /no token within 200 ms/);
  // The authentication went on: the next call uses its token.
  assert.equal((await within(client.getSession(SEED_UUID), 5_000)).uuid, SEED_UUID);
  assert.equal(gateway.requests.filter((r) => AUTH_PATH.test(r.path)).length, 1);
});

test("headers: a Headers or a Map, a name given twice, and names fetch forbids are refused", async () => {
  for (const [headers, says] of [
    [new Headers({ "x-a": "1" }), /plain object/],
    [new Map([["x-a", "1"]]), /plain object/],
    [{ "X-Request-Id": "1", "x-request-id": "2" }, /x-request-id is given twice/],
    [{ connection: "close" }, /connection is a header fetch does not let a request set/],
    [{ "Transfer-Encoding": "chunked" }, /transfer-encoding is a header fetch/],
    [{ "proxy-authorization": "x" }, /proxy-authorization is a header fetch/],
  ]) {
    const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, headers }));
    assert.equal(error.kind, "invalid_argument", String(says));
    assert.match(error.message, says);
  }
  assert.equal(gateway.requests.length, 0);
  const nullProto = Object.assign(Object.create(null), { "x-ok": "1" });
  assert.equal((await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, headers: nullProto })).uuid, SEED_UUID);
});

test("a secret a gateway spells into a redirect's host is redacted though the URL parser lowercased it", async () => {
  const privateKey = "sz_pr_Xy7QkLm9TzPw";
  const keys = { publicKey: "sz_pub_x", privateKey };
  gateway.fault("POST", AUTH_PATH, { status: 307, headers: { location: `https://${privateKey}.evil.example/` } });
  const error = await rejection(authenticateWith(keys));
  assert.equal(error.kind, "http");
  assert.ok(!error.message.toLowerCase().includes(privateKey.toLowerCase()), error.message);
});

function authenticateWith(keys) {
  return esm.authenticate({ baseUrl: gateway.baseUrl, ...keys });
}

test("a secret as long as a token may be is redacted, and the error stays a SezzleError", async () => {
  // A pattern of every prefix of a 40 KB secret overflowed the largest string V8 builds; a
  // token is now at most CLIENT_LIMITS' 4096 characters (tests/js/bounds.test.mjs).
  const long = `tok_${"k".repeat(4_092)}`;
  gateway.fault("GET", SESSION_PATH, { status: 404, body: JSON.stringify([{ code: "x", message: `echo ${long}` }]) });
  const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token: long }));
  assert.ok(error instanceof esm.SezzleError);
  assert.equal(error.kind, "http");
  assert.ok(!error.message.includes(long.slice(0, 100)));
});

test("an authentication answer that is not one says so, not 'invalid session'", async () => {
  gateway.fault("POST", AUTH_PATH, { status: 200, body: JSON.stringify({ token: "t" }) });
  const error = await rejection(authenticateWith(gateway.keys));
  assert.equal(error.kind, "validation");
  assert.equal(error.message, "POST /v2/authentication: the authentication answer has no expiration_date");
  assert.deepEqual(error.issues.map((i) => i.code), ["invalid_input"]);
});

test("getSession reads the options of each call: one options object changed between calls, or a new fetch, token or header, is used at once", async () => {
  // The module keeps its reading of the last options (js/client.js, getterFor) for calls that
  // give the same ones: a changed value must never be answered with the kept one.
  const seen = [];
  const watching = (name) => (url, init) => {
    seen.push({ name, authorization: init.headers.authorization, shop: init.headers["x-shop"] });
    return fetch(url, init);
  };
  const options = { baseUrl: gateway.baseUrl, token, retries: 0, fetch: watching("a"), headers: { "x-shop": "1" } };
  assert.equal((await getSession(SEED_UUID, options)).uuid, SEED_UUID);
  options.headers["x-shop"] = "2";
  assert.equal((await getSession(SEED_UUID, options)).uuid, SEED_UUID);
  options.fetch = watching("b");
  assert.equal((await getSession(SEED_UUID, options)).uuid, SEED_UUID);
  options.token = "tok_not_issued";
  const refused = await rejection(getSession(SEED_UUID, options));
  assert.equal(refused.status, 401);
  assert.doesNotMatch(inspect(refused), /tok_not_issued/);
  options.token = token;
  // An option that throws when read is read (and refused) on every call.
  const throwing = { ...options, get retries() { throw new Error("no"); } };
  for (let i = 0; i < 2; i++) assert.equal((await rejection(getSession(SEED_UUID, throwing))).kind, "invalid_argument");
  assert.equal((await getSession(SEED_UUID, options)).uuid, SEED_UUID);
  assert.deepEqual(
    seen.map(({ name, authorization, shop }) => [name, authorization === `Bearer ${token}`, shop]),
    [["a", true, "1"], ["a", true, "2"], ["b", true, "2"], ["b", false, "2"], ["b", true, "2"]],
  );
});
