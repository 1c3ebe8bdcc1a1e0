// Provokes every error kind with a known token and private key, and looks for either string
// in everything the error shows and in everything written to the console meanwhile.
import test from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { startMockGateway } from "../../gateway/mock-gateway.mjs";
import { esm } from "./packed.mjs";

const TOKEN = "tok_SECRET_5f0c1e2d3b4a";
const PRIVATE_KEY = "sz_pr_SECRET_9a8b7c6d5e";
const PUBLIC_KEY = "sz_pub_visible_0001";
const SEED_UUID = "fadbc642-05a4-4e38-9e74-80e325623af9";
const SESSION_PATH = /^\/v2\/session\//;
const AUTH_PATH = /^\/v2\/authentication$/;
const { getSession, authenticate, SezzleClient, SezzleError } = esm;

function everythingShown(error) {
  const parts = [String(error), error.message, error.stack, JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })];
  for (let cause = error.cause, depth = 0; cause !== undefined && depth < 5; cause = cause?.cause, depth++) {
    parts.push(String(cause), inspect(cause, { depth: 10, showHidden: true }));
  }
  return parts.join("\n");
}

test("neither the token nor the private key appears in any error or console output", async () => {
  const gateway = await startMockGateway({ keys: { publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY } });
  const console_ = {};
  const captured = [];
  for (const level of ["log", "info", "warn", "error", "debug", "trace"]) {
    console_[level] = console[level];
    console[level] = (...args) => captured.push(args.map((a) => inspect(a, { depth: 10 })).join(" "));
  }
  const kinds = new Set();
  const errors = [];
  async function provoke(label, call) {
    try {
      await call();
    } catch (error) {
      assert.ok(error instanceof SezzleError, `${label}: ${error}`);
      kinds.add(error.kind);
      errors.push([label, error]);
      return;
    }
    assert.fail(`${label}: did not fail`);
  }
  try {
    const withToken = { baseUrl: gateway.baseUrl, token: TOKEN, retries: 0 };
    const withKeys = { baseUrl: gateway.baseUrl, publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, retries: 0 };
    // A gateway (or a proxy) that quotes what it was sent back in its error.
    const echoToken = JSON.stringify([{ code: "unauthorized", location: "Authorization", message: `token ${TOKEN} expired`, debug_uuid: "d" }]);
    const echoKey = JSON.stringify([{ code: "unauthorized", location: "private_key", message: `key ${PRIVATE_KEY} unknown`, debug_uuid: "d" }]);

    await provoke("invalid uuid", () => getSession("../x", withToken));
    await provoke("token with a newline", () => getSession(SEED_UUID, { ...withToken, token: `${TOKEN}\n` }));
    await provoke("bad base URL", () => getSession(SEED_UUID, { ...withToken, baseUrl: `http://${TOKEN}.example/v2` }));
    await provoke("http 401 (unknown token)", () => getSession(SEED_UUID, withToken));
    gateway.fault("GET", SESSION_PATH, { status: 401, body: echoToken });
    await provoke("http 401 echoing the token", () => getSession(SEED_UUID, withToken));
    gateway.fault("POST", AUTH_PATH, { status: 401, body: echoKey });
    await provoke("authenticate 401 echoing the key", () => authenticate(withKeys));
    await provoke("authenticate with the wrong public key", () => authenticate({ ...withKeys, publicKey: "sz_pub_other_0002" }));
    gateway.fault("GET", SESSION_PATH, { status: 200, body: `{"uuid": 1, "links": [{"href": "javascript:${TOKEN}", "rel": "${TOKEN}"}]}` });
    await provoke("validation", () => getSession(SEED_UUID, withToken));
    gateway.fault("GET", SESSION_PATH, { reset: true });
    await provoke("network (reset)", () => getSession(SEED_UUID, withToken));
    await provoke("network (fetch throws with the secret)", () =>
      getSession(SEED_UUID, {
        ...withToken,
        fetch: async (url, init) => {
          throw new TypeError(`refused ${init.headers.authorization}`, { cause: new Error(`inner ${TOKEN}`) });
        },
      }),
    );
    gateway.fault("GET", SESSION_PATH, { delayMs: 1000 });
    await provoke("timeout", () => getSession(SEED_UUID, { ...withToken, timeoutMs: 100 }));
    await provoke("aborted", () => getSession(SEED_UUID, { ...withToken, signal: AbortSignal.abort() }));
    const client = new SezzleClient(withKeys);
    gateway.fault("GET", SESSION_PATH, { status: 401, body: echoKey }, { status: 401, body: echoKey });
    await provoke("client 401 twice", () => client.getSession(SEED_UUID));
    await provoke("client with a wrong key", () => new SezzleClient({ ...withKeys, privateKey: "sz_pr_wrong_000000" }).getSession(SEED_UUID));
    console.log(client);
    console.log(JSON.stringify(client));
  } finally {
    Object.assign(console, console_);
    await gateway.close();
  }

  assert.deepEqual([...kinds].sort(), ["aborted", "http", "invalid_argument", "network", "timeout", "validation"]);
  for (const [label, error] of errors) {
    const shown = everythingShown(error);
    assert.ok(!shown.includes(TOKEN), `${label}: the token leaked:\n${shown}`);
    assert.ok(!shown.includes(PRIVATE_KEY), `${label}: the private key leaked:\n${shown}`);
  }
  const echoed = errors.find(([label]) => label === "http 401 echoing the token")[1];
  assert.equal(echoed.apiErrors[0].message, "token [redacted] expired");
  assert.match(echoed.message, /token \[redacted\] expired/);
  const logged = captured.join("\n");
  assert.ok(!logged.includes(TOKEN) && !logged.includes(PRIVATE_KEY), logged);
});
