// What the Rust client adds to 0.1.0's API, through the packed package against the mock
// gateway: onEvent (requests, responses and retries for logging and metrics), headers of the
// caller's own, client.getSession's own timeoutMs and retries, client.authenticate().
import test, { beforeEach } from "node:test";
import assert from "node:assert/strict";
import { AUTH_PATH, SEED_UUID, SESSION_PATH, onMockGateway } from "./on-mock.mjs";
import { esm, memory, rejection } from "./packed.mjs";

const { getSession, SezzleClient } = esm;

const mock = onMockGateway();
let gateway;
let token;
beforeEach(() => ({ gateway, token } = mock));

const path = `/v2/session/${SEED_UUID}`;

test("onEvent is told each request, response and retry, with no header, body or secret", async () => {
  gateway.fault("GET", SESSION_PATH, { status: 503, headers: { "retry-after": "0" } });
  const events = [];
  const session = await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, onEvent: (e) => events.push(e) });
  assert.equal(session.uuid, SEED_UUID);
  const shape = events.map(({ type, method, path, attempt, status, outcome, waitMs }) => ({ type, method, path, attempt, status, outcome, waitMs }));
  assert.deepEqual(shape, [
    { type: "request", method: "GET", path, attempt: 1, status: undefined, outcome: undefined, waitMs: undefined },
    { type: "response", method: "GET", path, attempt: 1, status: 503, outcome: "answer", waitMs: undefined },
    { type: "retry", method: "GET", path, attempt: 1, status: undefined, outcome: undefined, waitMs: 0 },
    { type: "request", method: "GET", path, attempt: 2, status: undefined, outcome: undefined, waitMs: undefined },
    { type: "response", method: "GET", path, attempt: 2, status: 200, outcome: "answer", waitMs: undefined },
  ]);
  for (const e of events.filter((e) => e.type === "response")) assert.ok(e.durationMs >= 0);
  assert.ok(!JSON.stringify(events).includes(token));
  // A later call with the same options (the module's reading of them kept) is told of too.
  const options = { baseUrl: gateway.baseUrl, token, onEvent: (e) => events.push(e) };
  for (let i = 0; i < 3; i++) {
    events.length = 0;
    await getSession(SEED_UUID, options);
    assert.deepEqual(events.map((e) => e.type), ["request", "response"], `call ${i + 1}`);
  }
});

test("a SezzleClient's events include its authentication, never the keys or the token", async () => {
  const events = [];
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys, onEvent: (e) => events.push(e) });
  await client.getSession(SEED_UUID);
  assert.deepEqual(
    events.map((e) => `${e.type} ${e.method} ${e.path}`),
    ["request POST /v2/authentication", "response POST /v2/authentication", `request GET ${path}`, `response GET ${path}`],
  );
  const text = JSON.stringify(events);
  const issued = gateway.requests[1].headers.authorization.slice("Bearer ".length);
  for (const secret of [gateway.keys.privateKey, gateway.keys.publicKey, issued]) assert.ok(!text.includes(secret));
});

test("a hook that throws, rejects or returns a hostile object breaks nothing", async () => {
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    for (const onEvent of [() => { throw new Error("hook"); }, async () => { throw new Error("async hook"); }, () => new Proxy({}, { get() { throw new Error("trap"); } })]) {
      const session = await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, onEvent });
      assert.equal(session.uuid, SEED_UUID);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
  const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, onEvent: "log" }));
  assert.equal(error.kind, "invalid_argument");
  assert.match(error.message, /options\.onEvent must be a function, got string/);
});

test("headers of the caller's own reach the gateway; the client's own and bad ones are refused", async () => {
  await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, headers: { "user-agent": "shop-admin/2.1", "x-request-id": "r-1" } });
  assert.equal(gateway.requests[0].headers["user-agent"], "shop-admin/2.1");
  assert.equal(gateway.requests[0].headers["x-request-id"], "r-1");
  assert.equal(gateway.requests[0].headers.authorization, `Bearer ${token}`);
  for (const [headers, says] of [
    [{ Authorization: "Bearer other" }, /authorization is set by the client/],
    [{ "x-ok": "line\nbreak" }, /printable ASCII/],
    [{ "bad name": "x" }, /is not a header name/],
    [{ "x-n": 5 }, /a plain object of header names and string values/],
    [["x"], /a plain object of header names and string values/],
  ]) {
    const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, headers }));
    assert.equal(error.kind, "invalid_argument");
    assert.match(error.message, says);
  }
  assert.equal(gateway.requests.length, 1);
});

test("client.getSession takes its own timeoutMs and retries", async () => {
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, token, retries: 2, timeoutMs: 5_000 });
  gateway.fault("GET", SESSION_PATH, { delayMs: 1_000 });
  const error = await rejection(client.getSession(SEED_UUID, { timeoutMs: 100, retries: 0 }));
  assert.equal(error.kind, "timeout");
  assert.match(error.message, /no answer within 100 ms \(attempt 1 of 1\)/);
  const bad = await rejection(client.getSession(SEED_UUID, { retries: 11 }));
  assert.equal(bad.kind, "invalid_argument");
  assert.match(bad.message, /^client\.getSession: options\.retries must be an integer from 0 to 10/);
  const unknown = await rejection(client.getSession(SEED_UUID, { token: "t" }));
  assert.match(unknown.message, /unknown option "token"; the options are signal, timeoutMs, retries/);
});

test("client.authenticate() gives the token the client uses, authenticating once", async () => {
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys });
  const [first, second] = await Promise.all([client.authenticate(), client.authenticate()]);
  assert.deepEqual(first, second);
  assert.deepEqual(Object.keys(first).sort(), ["expiration_date", "merchant_uuid", "token"]);
  await client.getSession(SEED_UUID);
  const auths = gateway.requests.filter((r) => AUTH_PATH.test(r.path));
  assert.equal(auths.length, 1);
  assert.equal(gateway.requests.at(-1).headers.authorization, `Bearer ${first.token}`);
  const withToken = new SezzleClient({ baseUrl: gateway.baseUrl, token });
  const error = await rejection(withToken.authenticate());
  assert.equal(error.kind, "invalid_argument");
  assert.ok(!error.message.includes(token));
});

test("a SezzleClient made before the module was replaced refuses to go on; new ones and getSession work", async () => {
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, token });
  assert.equal((await client.getSession(SEED_UUID)).uuid, SEED_UUID);
  // Wreck the client module's instance (as hostile.test.mjs does the parser's): the next
  // client call traps and the module is replaced. A parser failure leaves the client be.
  const parserMemory = memory();
  new Uint8Array(parserMemory.buffer).fill(0xab);
  assert.equal(esm.safeParseSession("{}").error.kind, "internal");
  assert.equal((await client.getSession(SEED_UUID)).uuid, SEED_UUID, "the client module is not the parser's");
  const clientInternals = getSession[Symbol.for("sezzle-session.internals")];
  new Uint8Array(clientInternals.memory().buffer).fill(0xab);
  const trapped = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token }));
  assert.equal(trapped.kind, "internal");
  const error = await rejection(client.getSession(SEED_UUID));
  assert.equal(error.kind, "internal");
  assert.match(error.message, /^client\.getSession: the WebAssembly module was replaced after a failure.*make a new SezzleClient$/);
  assert.equal((await new SezzleClient({ baseUrl: gateway.baseUrl, token }).getSession(SEED_UUID)).uuid, SEED_UUID);
  assert.equal((await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token })).uuid, SEED_UUID);
});

test("options are the object's own enumerable properties, each read once, as 0.1.0 read them", async () => {
  const inherited = await rejection(getSession(SEED_UUID, Object.assign(Object.create({ token }), { baseUrl: gateway.baseUrl })));
  assert.equal(inherited.kind, "invalid_argument");
  assert.match(inherited.message, /options\.token is required/);
  let reads = 0;
  const options = { baseUrl: gateway.baseUrl };
  Object.defineProperty(options, "token", { enumerable: true, get: () => (reads++, token) });
  Object.defineProperty(options, "hidden", { enumerable: false, value: "ignored" });
  assert.equal((await getSession(SEED_UUID, options)).uuid, SEED_UUID);
  assert.equal(reads, 1);
  const throwing = await rejection(getSession(SEED_UUID, Object.defineProperty({ baseUrl: gateway.baseUrl }, "token", { enumerable: true, get() { throw new Error(token); } })));
  assert.equal(throwing.kind, "invalid_argument");
  assert.match(throwing.message, /options\.token could not be read/);
  assert.ok(!JSON.stringify(throwing).includes(token) && !String(throwing.stack).includes(token));
});
