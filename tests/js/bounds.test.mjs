// Issue 20, bounded memory: a string over its limit is refused before it is copied into the
// module, so a refused input leaves the module's memory as it was; a string at its limit is
// taken.
import test, { beforeEach } from "node:test";
import assert from "node:assert/strict";
import { SEED_UUID, onMockGateway } from "./on-mock.mjs";
import { esm, memory, rejection } from "./packed.mjs";

const { getSession, authenticate, SezzleClient } = esm;

const mock = onMockGateway();
let gateway;
let token;
beforeEach(() => ({ gateway, token } = mock));

const HUGE = "x".repeat(32 * 1024 * 1024);

// The limits the README states.
const LIMITS = { sessionUuid: 128, token: 4096, publicKey: 4096, privateKey: 4096, baseUrl: 2048, environment: 64, region: 64 };

async function refusedWithoutGrowth(label, call, says) {
  const pages = memory().buffer.byteLength;
  const error = await rejection(Promise.resolve().then(call), label);
  assert.equal(error.kind, "invalid_argument", `${label}: ${error.message}`);
  assert.match(error.message, says, label);
  assert.equal(memory().buffer.byteLength, pages, `${label}: the module's memory grew`);
}

test("a 32 Mi-character string in any text option or the session uuid is refused, and the module's memory does not grow", async () => {
  const base = { baseUrl: gateway.baseUrl, token };
  await refusedWithoutGrowth("sessionUuid", () => getSession(HUGE, base), /^getSession: sessionUuid is longer than 128 characters$/);
  await refusedWithoutGrowth("client sessionUuid", () => new SezzleClient(base).getSession(HUGE), /^client\.getSession: sessionUuid is longer than 128 characters$/);
  for (const [key, limit] of Object.entries(LIMITS)) {
    if (key === "sessionUuid") continue;
    const says = new RegExp(`: options\\.${key} is longer than ${limit} characters$`);
    const keys = key === "publicKey" || key === "privateKey";
    const options = keys ? { baseUrl: gateway.baseUrl, ...gateway.keys, [key]: HUGE } : { ...base, [key]: HUGE };
    if (!keys) await refusedWithoutGrowth(`getSession ${key}`, () => getSession(SEED_UUID, options), says);
    if (key !== "token") await refusedWithoutGrowth(`authenticate ${key}`, () => authenticate({ ...options, token: undefined }), says);
    await refusedWithoutGrowth(`SezzleClient ${key}`, () => new SezzleClient(keys ? options : { ...options }), says);
  }
  await refusedWithoutGrowth("an option's name", () => getSession(SEED_UUID, { ...base, [HUGE]: 1 }), /unknown option "x{40}…"/);
  await refusedWithoutGrowth("a header value", () => getSession(SEED_UUID, { ...base, headers: { "x-a": HUGE } }), /headers: a header value is longer than 8192 characters/);
  await refusedWithoutGrowth("a header name", () => getSession(SEED_UUID, { ...base, headers: { [HUGE]: "1" } }), /headers: a header name is longer than 256 characters/);
  const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`x-h${i}`, "1"]));
  await refusedWithoutGrowth("65 headers", () => getSession(SEED_UUID, { ...base, headers: many }), /headers: more than 64 are given/);
  assert.equal(gateway.requests.length, 0, "a refused call sent a request");
});

test("strings at their limits are taken", async () => {
  const session = await getSession("s".repeat(128), { baseUrl: gateway.baseUrl, token }).catch((error) => error);
  assert.equal(session.kind, "http"); // sent; the mock knows no such session
  assert.equal(session.status, 404);
  const long = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token: "t".repeat(4096) }));
  assert.equal(long.kind, "http"); // sent; the mock knows no such token
  assert.equal(long.status, 401);
  const headers = { "x-long": "v".repeat(8192) };
  assert.equal((await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, headers })).uuid, SEED_UUID);
  assert.equal(gateway.requests.at(-1).headers["x-long"], headers["x-long"]);
});
