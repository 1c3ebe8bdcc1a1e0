// An injected fetch that misbehaves: one that ignores its signal and never settles, a body
// stream that never ends, a response without a body stream, and values that are not a
// Response at all. timeoutMs and the caller's signal end the call on their own clock, the
// 1 MiB cap holds, and every failure is a SezzleError. No request leaves 127.0.0.1.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { startMockGateway } from "./mock.mjs";
import { esm, fixtureText, rejection } from "./packed.mjs";

const SEED_UUID = "fadbc642-05a4-4e38-9e74-80e325623af9";
const { getSession, authenticate, SezzleClient, SezzleError } = esm;
// A call the package failed to end would hang its test; this limit fails it instead.
const LIMIT = { timeout: 10_000 };
const JSON_HEADERS = { "content-type": "application/json" };

let gateway;
before(async () => {
  gateway = await startMockGateway();
});
after(() => gateway.close());

const options = (fetch, more = {}) => ({ baseUrl: gateway.baseUrl, token: "tok_test_0001", fetch, retries: 0, ...more });
const keys = (fetch, more = {}) => ({ baseUrl: gateway.baseUrl, ...gateway.keys, fetch, retries: 0, ...more });

// Unhandled rejections while `run` goes on and for a while after it.
async function unhandledDuring(run) {
  const seen = [];
  const listener = (reason) => seen.push(reason);
  process.on("unhandledRejection", listener);
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    process.off("unhandledRejection", listener);
  }
  return seen;
}

const never = () => new Promise(() => {});
// A body stream that yields `first` (if given), then never another chunk nor its end.
const stalled = (first) =>
  new ReadableStream({
    start(controller) {
      if (first) controller.enqueue(new TextEncoder().encode(first));
    },
    pull: () => never(),
  });
const stuckBody = (first) => async () => new Response(stalled(first), { status: 200, headers: JSON_HEADERS });

test("timeoutMs ends a call whose fetch never settles and ignores its signal", LIMIT, async () => {
  assert.equal((await rejection(getSession(SEED_UUID, options(never, { timeoutMs: 200 })))).kind, "timeout");
  assert.equal((await rejection(authenticate(keys(never, { timeoutMs: 200 })))).kind, "timeout");
  assert.equal((await rejection(new SezzleClient(keys(never, { timeoutMs: 200 })).getSession(SEED_UUID))).kind, "timeout");
  // Each retry gets its own timeout, and the call still ends.
  const error = await rejection(getSession(SEED_UUID, options(never, { timeoutMs: 200, retries: 1 })));
  assert.equal(error.kind, "timeout");
  assert.equal(error.attempts, 2);
});

test("the caller's signal ends a call whose fetch never settles", LIMIT, async () => {
  const controller = new AbortController();
  let called;
  const fetched = new Promise((resolve) => (called = resolve));
  const pending = getSession(SEED_UUID, options(() => (called(), never()), { signal: controller.signal }));
  await fetched;
  controller.abort("the shopper left");
  const error = await rejection(pending);
  assert.equal(error.kind, "aborted");
  assert.equal(error.cause, "the shopper left");
});

test("timeoutMs and the signal end a call whose body stream never ends, or never yields a chunk", LIMIT, async () => {
  for (const first of [undefined, '{"uuid": "fadbc642-05a4-4e38-9e74-80e325623af9", ']) {
    assert.equal((await rejection(getSession(SEED_UUID, options(stuckBody(first), { timeoutMs: 200 })))).kind, "timeout");
    assert.equal((await rejection(authenticate(keys(stuckBody(first), { timeoutMs: 200 })))).kind, "timeout");
    const controller = new AbortController();
    let streamed;
    const started = new Promise((resolve) => (streamed = resolve));
    const fetch = async () => {
      setTimeout(streamed, 20);
      return stuckBody(first)();
    };
    const pending = getSession(SEED_UUID, options(fetch, { signal: controller.signal }));
    await started;
    controller.abort();
    assert.equal((await rejection(pending)).kind, "aborted");
  }
});

test("an abandoned attempt that settles after the call has ended causes no unhandled rejection", LIMIT, async () => {
  // Each fetch settles only when the test says so, after the call has already failed.
  const settles = [];
  const held = (settle) => () => new Promise((resolve, reject) => settles.push(() => settle(resolve, reject)));
  const rejecting = held((resolve, reject) => reject(new TypeError("too late")));
  const erroring = held((resolve) =>
    resolve(new Response(new ReadableStream({ pull: (c) => c.error(new Error("stream broke late")) }), { headers: JSON_HEADERS })));
  const answering = held((resolve) => resolve(new Response(fixtureText("valid/seed.json"), { headers: JSON_HEADERS })));
  const unhandled = await unhandledDuring(async () => {
    for (const fetch of [rejecting, erroring, answering]) {
      assert.equal((await rejection(getSession(SEED_UUID, options(fetch, { timeoutMs: 200 })))).kind, "timeout");
    }
    assert.equal(settles.length, 3);
    for (const settle of settles) settle();
  });
  assert.deepEqual(unhandled, []);
});

test("a response without a body stream is read whole only when content-length promises at most 1 MiB", LIMIT, async () => {
  const seed = new TextEncoder().encode(fixtureText("valid/seed.json"));
  let reads = 0;
  const streamless = (bytes, headers) => async () => ({
    status: 200,
    headers: new Headers({ ...JSON_HEADERS, ...headers }),
    arrayBuffer: async () => {
      reads += 1;
      return bytes.slice().buffer;
    },
  });
  const big = new Uint8Array(2 * 1024 * 1024).fill(0x20);

  // No content-length: refused, arrayBuffer() never called.
  const refused = await rejection(getSession(SEED_UUID, options(streamless(big, {}))));
  assert.equal(refused.kind, "network");
  assert.match(refused.message, /no body stream/);
  // A content-length over 1 MiB: too_large, arrayBuffer() never called.
  const declared = await rejection(getSession(SEED_UUID, options(streamless(big, { "content-length": String(big.length) }))));
  assert.equal(declared.issues[0].code, "too_large");
  assert.equal(reads, 0);
  // A content-length that lies: what arrayBuffer() gave is held to the cap again.
  const lying = await rejection(getSession(SEED_UUID, options(streamless(big, { "content-length": "10" }))));
  assert.equal(lying.issues[0].code, "too_large");
  // A truthful one is read.
  const session = await getSession(SEED_UUID, options(streamless(seed, { "content-length": String(seed.length) })));
  assert.equal(session.uuid, SEED_UUID);
  assert.equal(reads, 2);
});

test("a fetch that resolves to something other than a Response, or throws anything, gives a SezzleError", LIMIT, async () => {
  const throwing = new Proxy({}, { get() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); }, has() { throw new Error("trap"); } });
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  const getters = {
    get status() {
      throw new Error("status getter");
    },
  };
  const answers = [
    null,
    undefined,
    42,
    "200 OK",
    {},
    [],
    getters,
    throwing,
    revoked,
    { status: 200, headers: null, body: null },
    { status: 200, headers: { get: () => { throw new Error("get"); } }, body: null },
    { status: 99, headers: new Headers(), body: null },
    { status: 200, headers: new Headers(), body: { getReader: () => ({ read: async () => ({ done: false, value: "not bytes" }) }) } },
    { status: 200, headers: new Headers(), body: { getReader: () => throwing } },
    Response.error(),
  ];
  for (const value of answers) {
    for (const call of [(f) => getSession(SEED_UUID, options(f)), (f) => authenticate(keys(f)), (f) => new SezzleClient(keys(f)).getSession(SEED_UUID)]) {
      const error = await rejection(call(async () => value));
      assert.ok(["network", "validation"].includes(error.kind), `${error.kind}: ${error.message}`);
    }
  }
  // Thrown values, a thenable whose then throws, and a fetch that throws synchronously.
  const thrown = [throwing, revoked, null, Symbol("s"), { get message() { throw new Error("message getter"); } }];
  for (const value of thrown) {
    const error = await rejection(getSession(SEED_UUID, options(async () => { throw value; })));
    assert.equal(error.kind, "network");
  }
  for (const fetch of [() => ({ then() { throw new Error("then"); } }), () => { throw throwing; }]) {
    assert.equal((await rejection(getSession(SEED_UUID, options(fetch)))).kind, "network");
  }
});

test("a signal without removeEventListener is refused, and one whose methods throw never escapes as an unhandled rejection", LIMIT, async () => {
  const fake = { aborted: false, addEventListener() {} };
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys, retries: 0 });
  const refused = await rejection(client.getSession(SEED_UUID, { signal: fake }));
  assert.equal(refused.kind, "invalid_argument");
  const throwing = {
    aborted: false,
    addEventListener() {},
    removeEventListener() {
      throw new Error("no");
    },
  };
  const seen = await unhandledDuring(async () => {
    const session = await client.getSession(SEED_UUID, { signal: throwing });
    assert.equal(session.uuid, SEED_UUID);
    gateway.fault("GET", /^\/v2\/session\//, { status: 503 });
    const retried = await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token: gateway.issueToken(), retries: 1, signal: throwing });
    assert.equal(retried.uuid, SEED_UUID);
  });
  assert.deepEqual(seen, []);
});

test("a fetch that changes the headers it is given changes no later request", LIMIT, async () => {
  // The requests of calls with the same options are built once (src/client/transport.rs,
  // get_request); each fetch gets its own copy of the headers to do with as it likes.
  const meddling = (url, init) => {
    init.headers.authorization = "Bearer stolen";
    init.headers["x-added"] = "1";
    delete init.headers.accept;
    return fetch(url, init);
  };
  const seen = [];
  const watching = (url, init) => {
    seen.push({ url, headers: { ...init.headers } });
    return fetch(url, init);
  };
  const token = gateway.issueToken();
  const other = "aaaaaaaa-05a4-4e38-9e74-80e325623af9";
  await rejection(getSession(SEED_UUID, { ...options(meddling), token }));
  const client = new SezzleClient({ ...options(watching), token });
  for (const uuid of [SEED_UUID, other, SEED_UUID]) await getSession(uuid, { ...options(watching), token }).catch(() => {});
  await client.getSession(SEED_UUID);
  assert.deepEqual(
    seen.map((s) => s.url.slice(gateway.baseUrl.length)),
    [`/session/${SEED_UUID}`, `/session/${other}`, `/session/${SEED_UUID}`, `/session/${SEED_UUID}`],
  );
  for (const { headers } of seen) assert.deepEqual(headers, { accept: "application/json", authorization: `Bearer ${token}` });
});
