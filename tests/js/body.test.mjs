// Issue 20, body reading in bulk: a body is read chunk by chunk in JavaScript (one crossing
// into the module per body, not a dozen per chunk), so 1 MiB in 1-byte chunks is read within
// its timeout; and what a stream gives is still not trusted.
import test, { beforeEach } from "node:test";
import assert from "node:assert/strict";
import { SEED_UUID, onMockGateway } from "./on-mock.mjs";
import { esm, fixture, rejection } from "./packed.mjs";

const { getSession } = esm;
const MIB = 1024 * 1024;

const mock = onMockGateway();
let gateway;
let token;
beforeEach(() => ({ gateway, token } = mock));

// A fetch whose body is `body`, given by `chunk(bytes, i)` one piece at a time.
function streaming(body, { size = 1, chunk = (bytes) => bytes } = {}) {
  return async () => {
    let at = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (at >= body.length) return controller.close();
        controller.enqueue(chunk(body.subarray(at, at + size), at));
        at += size;
      },
    }, { highWaterMark: 0 });
    return new Response(stream, { headers: { "content-type": "application/json" } });
  };
}

function padded(length) {
  const body = new Uint8Array(length).fill(0x20);
  body.set(fixture("valid/seed.json"));
  return body;
}

test("a 1 MiB body in 1-byte chunks is read within its timeout", async () => {
  const fetch = streaming(padded(MIB));
  const session = await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, fetch, retries: 0, timeoutMs: 20_000 });
  assert.equal(session.uuid, SEED_UUID);
});

test("one byte over 1 MiB, in 1-byte chunks, is too large, and the stream is cancelled", async () => {
  let cancelled = false;
  const body = padded(MIB + 1);
  const fetch = async () => {
    let at = 0;
    const stream = new ReadableStream({
      pull(c) {
        if (at >= body.length) return c.close();
        c.enqueue(body.subarray(at, ++at));
      },
      cancel() {
        cancelled = true;
      },
    }, { highWaterMark: 0 });
    return new Response(stream, { headers: { "content-type": "application/json" } });
  };
  const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, fetch, retries: 0, timeoutMs: 20_000 }));
  assert.equal(error.issues?.[0]?.code, "too_large", error.message);
  assert.ok(cancelled);
});

test("chunks of any view type are read for their bytes; a view whose own byteLength lies is read for its real size", async () => {
  const body = padded(4096);
  const views = [
    (bytes) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    (bytes) => new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    (bytes) => Object.defineProperty(bytes.slice(), "byteLength", { value: 0 }),
  ];
  for (const view of views) {
    const session = await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, retries: 0, fetch: streaming(body, { size: 7, chunk: view }) });
    assert.equal(session.uuid, SEED_UUID);
  }
});

test("a stream that gives something other than bytes, or whose read lies or throws, is a body that ended early; later calls work", async () => {
  const liars = {
    "a string chunk": () => new Response(new ReadableStream({ pull: (c) => c.enqueue("{}") })),
    "a Proxy of a Uint8Array": () => new Response(new ReadableStream({ pull: (c) => c.enqueue(new Proxy(new Uint8Array(4), {})) })),
  };
  const reader = (read) => ({ status: 200, type: "basic", headers: new Headers({ "content-type": "application/json" }), body: { getReader: () => ({ read, cancel() {} }) } });
  const raw = {
    "a read that gives a number": () => reader(() => 42),
    "a read that throws": () => reader(() => { throw new Error("read"); }),
    "a result whose done getter throws": () => reader(async () => ({ get done() { throw new Error("done"); } })),
    "a result whose value is a revoked Proxy": () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return reader(async () => ({ done: false, value: proxy }));
    },
  };
  for (const [label, answer] of Object.entries({ ...liars, ...raw })) {
    const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, retries: 0, fetch: async () => answer() }), label);
    assert.equal(error.kind, "validation", `${label}: ${error.message}`);
    assert.equal(error.issues[0].code, "truncated", label);
  }
  assert.equal((await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token })).uuid, SEED_UUID);
});
