// getSession, authenticate and SezzleClient of the packed package against the mock gateway
// on 127.0.0.1: one test per row of the error table and per retry rule, each checking what
// the caller sees and what the gateway saw.
import test, { after, before, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { readFileSync } from "node:fs";
import { startMockGateway } from "./mock.mjs";
import { cjs, esm, fixtureJson, rejection } from "./packed.mjs";

const SEED_UUID = "fadbc642-05a4-4e38-9e74-80e325623af9";
const SESSION_PATH = /^\/v2\/session\//;
const AUTH_PATH = /^\/v2\/authentication$/;
const { getSession, authenticate, SezzleClient, SezzleError } = esm;

let gateway;
let token;
before(async () => {
  gateway = await startMockGateway();
});
after(() => gateway.close());
beforeEach(() => {
  gateway.reset();
  token = gateway.issueToken();
});

const base = () => ({ baseUrl: gateway.baseUrl, token });
const gets = () => gateway.requests.filter((r) => r.method === "GET");
const posts = () => gateway.requests.filter((r) => r.method === "POST");

async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// --- success ----------------------------------------------------------------------------

for (const [system, api] of [["ESM", esm], ["CommonJS", cjs]]) {
  test(`${system}: getSession fetches the seed session with the token as a Bearer header`, async () => {
    const session = await api.getSession(SEED_UUID, base());
    const expected = fixtureJson("valid/tokenize-top-level.json");
    assert.equal(session.uuid, SEED_UUID);
    assert.equal(session.order.uuid, expected.order.uuid);
    assert.equal(session.tokenize.token, expected.tokenize.token);
    // The mock points links back at itself; parsing kept them (loopback http is allowed).
    assert.equal(session.links[0].href, `${gateway.baseUrl}/session/${SEED_UUID}`);
    assert.equal(api.checkoutUrl(session), expected.order.checkout_url);
    assert.equal(gets().length, 1);
    assert.equal(gets()[0].path, `/v2/session/${SEED_UUID}`);
    assert.equal(gets()[0].headers.authorization, `Bearer ${token}`);
  });
}

test("getSession takes an injected fetch instead of the global one", async () => {
  const seen = [];
  const session = await getSession(SEED_UUID, {
    ...base(),
    fetch: (url, init) => {
      seen.push([url, init.method]);
      return fetch(url, init);
    },
  });
  assert.equal(session.uuid, SEED_UUID);
  assert.deepEqual(seen, [[`${gateway.baseUrl}/session/${SEED_UUID}`, "GET"]]);
});

test("environment and region choose among Sezzle's four gateways", async () => {
  const hosts = [];
  const spy = async (url) => {
    hosts.push(url);
    throw new TypeError("offline test: no request leaves loopback");
  };
  for (const [environment, region] of [[undefined, undefined], ["production", "us"], ["sandbox", "eu"], ["production", "eu"]]) {
    await rejection(getSession("s1", { token, environment, region, fetch: spy, retries: 0 }));
  }
  assert.deepEqual(hosts, [
    "https://sandbox.gateway.sezzle.com/v2/session/s1",
    "https://gateway.sezzle.com/v2/session/s1",
    "https://sandbox.gateway.eu.sezzle.com/v2/session/s1",
    "https://gateway.eu.sezzle.com/v2/session/s1",
  ]);
});

// --- invalid_argument: no request is sent ------------------------------------------------

test("invalid_argument: unsafe session uuids, bad base URLs, bad options, missing credentials; nothing is sent", async () => {
  let fetched = 0;
  const spy = (url, init) => {
    fetched += 1;
    return fetch(url, init);
  };
  const cases = [
    () => getSession("", { ...base(), fetch: spy }),
    () => getSession("../authentication", { ...base(), fetch: spy }),
    () => getSession("a..b", { ...base(), fetch: spy }),
    () => getSession("a/b", { ...base(), fetch: spy }),
    () => getSession("a?b", { ...base(), fetch: spy }),
    () => getSession("%2e%2e", { ...base(), fetch: spy }),
    () => getSession("x".repeat(129), { ...base(), fetch: spy }),
    () => getSession(42, { ...base(), fetch: spy }),
    () => getSession(SEED_UUID, { token, baseUrl: "http://gateway.example.test/v2", fetch: spy }),
    () => getSession(SEED_UUID, { token, baseUrl: "https://user:pw@gateway.sezzle.com/v2", fetch: spy }),
    () => getSession(SEED_UUID, { token, baseUrl: "/v2", fetch: spy }),
    () => getSession(SEED_UUID, { token, baseUrl: "javascript:alert(1)", fetch: spy }),
    () => getSession(SEED_UUID, { token, environment: "staging", fetch: spy }),
    () => getSession(SEED_UUID, { token, region: "ca", fetch: spy }),
    () => getSession(SEED_UUID, { baseUrl: gateway.baseUrl, fetch: spy }),
    () => getSession(SEED_UUID, { ...base(), token: "has space", fetch: spy }),
    () => getSession(SEED_UUID, { ...base(), timeout: 5, fetch: spy }),
    () => getSession(SEED_UUID, { ...base(), timeoutMs: 0, fetch: spy }),
    () => getSession(SEED_UUID, { ...base(), retries: -1, fetch: spy }),
    () => getSession(SEED_UUID, { ...base(), retries: 1.5, fetch: spy }),
    () => getSession(SEED_UUID, { ...base(), signal: {}, fetch: spy }),
    () => getSession(SEED_UUID, { ...base(), fetch: "fetch" }),
    () => getSession(SEED_UUID, "options"),
    () => authenticate({ baseUrl: gateway.baseUrl, publicKey: "pk", fetch: spy }),
    () => new SezzleClient({ baseUrl: gateway.baseUrl }).getSession(SEED_UUID),
    () => new SezzleClient({ baseUrl: gateway.baseUrl, token, publicKey: "a", privateKey: "b" }).getSession(SEED_UUID),
  ];
  for (const make of cases) {
    const error = await rejection(Promise.resolve().then(make));
    assert.equal(error.kind, "invalid_argument", `${make}: ${error.message}`);
    assert.ok(error.message.length > 20, error.message);
  }
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys, fetch: spy });
  assert.equal((await rejection(client.getSession("../x"))).kind, "invalid_argument");
  assert.equal(fetched, 0);
  assert.equal(gateway.requests.length, 0);
});

test("invalid_argument messages say which option and why", async () => {
  const uuid = await rejection(getSession("a/b", base()));
  assert.match(uuid.message, /^getSession: sessionUuid may hold only letters, digits/);
  const http = await rejection(getSession(SEED_UUID, { token, baseUrl: "http://gateway.example.test/v2" }));
  assert.match(http.message, /baseUrl must be an absolute https URL/);
  // The constructor checks its options at once, synchronously.
  assert.throws(() => new SezzleClient({ baseUrl: gateway.baseUrl, publicKey: "only-one" }), (error) =>
    error instanceof SezzleError && error.kind === "invalid_argument" && /publicKey and options.privateKey are both required/.test(error.message));
  const typo = await rejection(getSession(SEED_UUID, { ...base(), timeout: 5 }));
  assert.match(typo.message, /unknown option "timeout"/);
});

// --- http ---------------------------------------------------------------------------------

test("http: an unknown session is a 404 with Sezzle's errors and debug_uuid, not retried", async () => {
  const error = await rejection(getSession("no-such-session", base()));
  assert.equal(error.kind, "http");
  assert.equal(error.status, 404);
  assert.equal(error.apiErrors.length, 1);
  assert.equal(error.apiErrors[0].code, "not_found");
  assert.equal(error.apiErrors[0].location, "session_uuid");
  assert.match(error.debugUuid, /^[0-9a-f-]{36}$/);
  assert.equal(error.apiErrors[0].debug_uuid, error.debugUuid);
  assert.equal(error.message, `GET /v2/session/no-such-session: HTTP 404 Not Found: Session not found (not_found at session_uuid, debug_uuid ${error.debugUuid})`);
  assert.equal(gets().length, 1);
});

test("http: a 404 from a baseUrl whose path does not end in /v2 names the base URL meant", async () => {
  const { origin } = gateway;
  for (const [baseUrl, meant] of [[origin, `${origin}/v2`], [`${origin}/`, `${origin}/v2`], [`${origin}/v1`, `${origin}/v2`]]) {
    const error = await rejection(getSession(SEED_UUID, { baseUrl, token: gateway.issueToken() }));
    assert.equal(error.status, 404);
    assert.ok(error.message.endsWith(`; the base URL's path does not end in /v2: did you mean ${meant}?`), error.message);
    const client = new SezzleClient({ ...gateway.keys, baseUrl });
    const auth = await rejection(client.authenticate());
    assert.match(auth.message, /^POST \/(v1\/)?authentication: HTTP 404 .*did you mean/);
  }
  // A 404 from the right path is only that.
  const notFound = await rejection(getSession("no-such-session", base()));
  assert.doesNotMatch(notFound.message, /did you mean/);
});

test("http: a wrong token is a 401, not retried", async () => {
  const error = await rejection(getSession(SEED_UUID, { ...base(), token: "mock_not_a_real_token" }));
  assert.equal(error.kind, "http");
  assert.equal(error.status, 401);
  assert.equal(error.apiErrors[0].code, "unauthorized");
  assert.equal(gets().length, 1);
  assert.equal(gets()[0].headers.authorization, "Bearer mock_not_a_real_token");
});

test("retry rule: no other 4xx is retried", async () => {
  for (const status of [400, 403, 409, 422]) {
    gateway.reset();
    const body = JSON.stringify([{ code: "invalid", location: "x", message: `refused with ${status}`, debug_uuid: "d" }]);
    gateway.fault("GET", SESSION_PATH, { status, body }, { status, body });
    const error = await rejection(getSession(SEED_UUID, { ...base(), retries: 5 }));
    assert.equal(error.kind, "http");
    assert.equal(error.status, status);
    assert.equal(error.attempts, 1);
    assert.equal(gets().length, 1, `status ${status} was retried`);
  }
});

test("retry rule: 429, 500, 502, 503 and 504 are retried, then the call succeeds", async () => {
  for (const status of [429, 500, 502, 503, 504]) {
    gateway.reset();
    gateway.fault("GET", SESSION_PATH, { status, body: "" });
    const session = await getSession(SEED_UUID, base());
    assert.equal(session.uuid, SEED_UUID);
    assert.equal(gets().length, 2, `status ${status}`);
    assert.ok(gets().every((r) => r.headers.authorization === `Bearer ${token}`));
  }
});

test("retry rule: a sequence of 5xx before success takes as many retries as allowed", async () => {
  gateway.fault("GET", SESSION_PATH, { status: 500 }, { status: 503 }, { status: 502 });
  const session = await getSession(SEED_UUID, { ...base(), retries: 3 });
  assert.equal(session.uuid, SEED_UUID);
  assert.equal(gets().length, 4);
});

test("retry rule: after `retries` retries the last 5xx is the error", async () => {
  gateway.fault("GET", SESSION_PATH, { status: 500 }, { status: 503 }, { status: 502 });
  const error = await rejection(getSession(SEED_UUID, base()));
  assert.equal(error.kind, "http");
  assert.equal(error.status, 502);
  assert.equal(error.attempts, 3);
  assert.equal(gets().length, 3);
});

test("retry rule: retries: 0 sends exactly one request", async () => {
  gateway.fault("GET", SESSION_PATH, { status: 503 });
  const error = await rejection(getSession(SEED_UUID, { ...base(), retries: 0 }));
  assert.equal(error.status, 503);
  assert.equal(gets().length, 1);
});

test("http: an HTML 502 page from a proxy is an http error without apiErrors", async () => {
  const html = { status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>", headers: { "content-type": "text/html" } };
  gateway.fault("GET", SESSION_PATH, html, html, html);
  const error = await rejection(getSession(SEED_UUID, base()));
  assert.equal(error.kind, "http");
  assert.equal(error.status, 502);
  assert.equal(error.apiErrors, undefined);
  assert.equal(error.message, `GET /v2/session/${SEED_UUID}: HTTP 502 Bad Gateway (the body is not Sezzle's error JSON)`);
  assert.equal(gets().length, 3);
});

test("retry rule: 429 with Retry-After in seconds waits that long, then retries", async () => {
  gateway.fault("GET", SESSION_PATH, { status: 429, headers: { "retry-after": "1" } });
  const session = await getSession(SEED_UUID, base());
  assert.equal(session.uuid, SEED_UUID);
  const [first, second] = gets();
  assert.ok(second.at - first.at >= 950, `retried after ${second.at - first.at} ms, not the 1000 asked`);
});

test("retry rule: Retry-After as an HTTP date is honoured", async () => {
  const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000).toUTCString();
  gateway.fault("GET", SESSION_PATH, { status: 503, headers: { "retry-after": at } });
  const session = await getSession(SEED_UUID, base());
  assert.equal(session.uuid, SEED_UUID);
  const [first, second] = gets();
  assert.ok(second.at - first.at >= 1000, `retried after ${second.at - first.at} ms, before ${at}`);
});

test("http: a Retry-After on the final answer is reported as retryAfterMs", async () => {
  gateway.fault("GET", SESSION_PATH, { status: 429, headers: { "retry-after": "3600" } });
  const error = await rejection(getSession(SEED_UUID, { ...base(), retries: 0 }));
  assert.equal(error.status, 429);
  assert.equal(error.retryAfterMs, 3_600_000);
  assert.match(error.message, /Retry-After 3600 s/);
});

// --- validation ----------------------------------------------------------------------------

test("validation: a 2xx body that is not a valid session has issues and the status", async () => {
  gateway.fault("GET", SESSION_PATH, { status: 200, body: '{"uuid": 42, "links": [{"href": "javascript:x", "method": "GET", "rel": "self"}]}' });
  const error = await rejection(getSession(SEED_UUID, base()));
  assert.equal(error.kind, "validation");
  assert.equal(error.status, 200);
  assert.deepEqual(error.issues.map((i) => i.path), [["uuid"], ["links", 0, "href"]]);
  assert.match(error.message, /^GET \/v2\/session\/[^:]+: invalid session: uuid:/);
  assert.equal(gets().length, 1);
});

test("validation: malformed JSON is invalid_json with its line, not retried", async () => {
  gateway.fault("GET", SESSION_PATH, { status: 200, body: '{"uuid": "s",\n "links": [' });
  const error = await rejection(getSession(SEED_UUID, base()));
  assert.equal(error.kind, "validation");
  assert.equal(error.issues[0].code, "invalid_json");
  assert.equal(error.issues[0].line, 2);
  assert.equal(gets().length, 1);
});

test("validation: a truncated body (connection cut mid-body) is reported as truncated", async () => {
  gateway.fault("GET", SESSION_PATH, { truncate: true });
  const error = await rejection(getSession(SEED_UUID, base()));
  assert.equal(error.kind, "validation");
  assert.equal(error.status, 200);
  assert.equal(error.issues[0].code, "truncated");
  assert.equal(gets().length, 1);
});

test("validation: a wrong content type is refused even when the body would parse", async () => {
  const seed = JSON.stringify(fixtureJson("valid/seed.json"));
  gateway.fault("GET", SESSION_PATH, { status: 200, body: seed, headers: { "content-type": "text/html; charset=utf-8" } });
  const error = await rejection(getSession(SEED_UUID, base()));
  assert.equal(error.kind, "validation");
  assert.equal(error.issues[0].code, "invalid_content_type");
  assert.match(error.message, /text\/html; charset=utf-8, not application\/json/);
});

test("validation: a body over 1 MiB is refused without reading it whole", async () => {
  for (const mode of [true, "chunked"]) {
    gateway.reset();
    gateway.fault("GET", SESSION_PATH, { oversized: mode });
    const error = await rejection(getSession(SEED_UUID, base()));
    assert.equal(error.kind, "validation", String(mode));
    assert.equal(error.issues[0].code, "too_large");
    assert.equal(gets().length, 1);
    // The mock offers 32 MiB as fast as it is read; the client hung up long before (what
    // left the mock beyond 1 MiB sits in loopback socket buffers).
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(gets()[0].cancelled, `${mode}: the client read the whole body`);
    assert.ok(gateway.oversizedBytesSent < 16 * 1024 * 1024, `${mode}: ${gateway.oversizedBytesSent} bytes sent`);
  }
});

// --- network, timeout, aborted ---------------------------------------------------------------

test("network: a reset connection is retried, then reported with its cause", async () => {
  gateway.fault("GET", SESSION_PATH, { reset: true }, { reset: true }, { reset: true });
  const error = await rejection(getSession(SEED_UUID, base()));
  assert.equal(error.kind, "network");
  assert.ok(error.cause instanceof Error);
  assert.equal(error.attempts, 3);
  assert.match(error.message, /the connection failed after 3 attempts/);
  assert.equal(gets().length, 3);
});

test("retry rule: a reset connection followed by an answer succeeds", async () => {
  gateway.fault("GET", SESSION_PATH, { reset: true });
  assert.equal((await getSession(SEED_UUID, base())).uuid, SEED_UUID);
  assert.equal(gets().length, 2);
});

test("network: a refused connection names the cause", async () => {
  const port = await closedPort();
  const error = await rejection(getSession(SEED_UUID, { token, baseUrl: `http://127.0.0.1:${port}/v2`, retries: 1 }));
  assert.equal(error.kind, "network");
  assert.match(error.message, /ECONNREFUSED/);
  assert.equal(error.attempts, 2);
});

test("timeout: each attempt gets timeoutMs; the last one's timeout is the error", async () => {
  gateway.fault("GET", SESSION_PATH, { delayMs: 1500 }, { delayMs: 1500 });
  const error = await rejection(getSession(SEED_UUID, { ...base(), timeoutMs: 150, retries: 1 }));
  assert.equal(error.kind, "timeout");
  assert.equal(error.message, `GET /v2/session/${SEED_UUID}: no answer within 150 ms (attempt 2 of 2)`);
  assert.equal(gets().length, 2);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(gets().map((r) => r.cancelled), [true, true], "timed-out requests were not cancelled");
});

test("retry rule: a timeout is retried and the next attempt can succeed", async () => {
  gateway.fault("GET", SESSION_PATH, { delayMs: 1500 });
  const session = await getSession(SEED_UUID, { ...base(), timeoutMs: 300 });
  assert.equal(session.uuid, SEED_UUID);
  assert.equal(gets().length, 2);
});

test("aborted: the caller's signal cancels the in-flight request at once", async () => {
  gateway.fault("GET", SESSION_PATH, { delayMs: 3000 });
  const controller = new AbortController();
  const pending = getSession(SEED_UUID, { ...base(), signal: controller.signal });
  while (gets().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort("operator closed the page");
  const error = await rejection(pending);
  assert.equal(error.kind, "aborted");
  assert.equal(error.cause, "operator closed the page");
  // Cancelled while the gateway was still delaying its answer: the connection is gone.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(gets()[0].cancelled, true);
  assert.equal(gets().length, 1);
});

test("aborted: an already-aborted signal sends nothing; one that fires during a backoff stops retries", async () => {
  const error = await rejection(getSession(SEED_UUID, { ...base(), signal: AbortSignal.abort() }));
  assert.equal(error.kind, "aborted");
  assert.equal(gateway.requests.length, 0);

  gateway.fault("GET", SESSION_PATH, { status: 503, headers: { "retry-after": "20" } });
  const controller = new AbortController();
  const pending = getSession(SEED_UUID, { ...base(), signal: controller.signal });
  while (gets().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 50));
  controller.abort();
  assert.equal((await rejection(pending)).kind, "aborted");
  assert.equal(gets().length, 1);
});

// --- authenticate --------------------------------------------------------------------------

test("authenticate posts the keys and resolves to token, expiration_date and merchant_uuid", async () => {
  const auth = await authenticate({ baseUrl: gateway.baseUrl, ...gateway.keys });
  assert.deepEqual(Object.keys(auth).sort(), ["expiration_date", "merchant_uuid", "token"]);
  assert.match(auth.expiration_date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  assert.ok(Date.parse(auth.expiration_date) > Date.now());
  assert.equal(posts().length, 1);
  assert.deepEqual(JSON.parse(posts()[0].body), { public_key: gateway.keys.publicKey, private_key: gateway.keys.privateKey });
  assert.equal(posts()[0].headers["content-type"], "application/json");
  // The token it gave works.
  assert.equal((await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token: auth.token })).uuid, SEED_UUID);
});

test("authenticate: wrong keys are an http 401, sent once", async () => {
  const error = await rejection(authenticate({ baseUrl: gateway.baseUrl, publicKey: gateway.keys.publicKey, privateKey: "sz_pr_wrong_key_123" }));
  assert.equal(error.kind, "http");
  assert.equal(error.status, 401);
  assert.equal(error.apiErrors[0].message, "Invalid API keys");
  assert.equal(posts().length, 1);
});

test("authenticate retries only what surely never reached the gateway", async () => {
  // A reset after the request was sent: the gateway saw it, so it is not repeated.
  gateway.fault("POST", AUTH_PATH, { reset: true });
  assert.equal((await rejection(authenticate({ baseUrl: gateway.baseUrl, ...gateway.keys }))).kind, "network");
  assert.equal(posts().length, 1);
  // Nor is a 503 or a timeout.
  gateway.reset();
  gateway.fault("POST", AUTH_PATH, { status: 503 });
  assert.equal((await rejection(authenticate({ baseUrl: gateway.baseUrl, ...gateway.keys }))).status, 503);
  assert.equal(posts().length, 1);
  gateway.reset();
  gateway.fault("POST", AUTH_PATH, { delayMs: 1000 });
  assert.equal((await rejection(authenticate({ baseUrl: gateway.baseUrl, ...gateway.keys, timeoutMs: 100 }))).kind, "timeout");
  assert.equal(posts().length, 1);
  // A refused connection never left this machine: it is retried.
  gateway.reset();
  const port = await closedPort();
  let calls = 0;
  const refusedOnce = (url, init) => {
    calls += 1;
    return fetch(calls === 1 ? url.replace(gateway.origin, `http://127.0.0.1:${port}`) : url, init);
  };
  const auth = await authenticate({ baseUrl: gateway.baseUrl, ...gateway.keys, fetch: refusedOnce });
  assert.equal(typeof auth.token, "string");
  assert.equal(calls, 2);
  assert.equal(posts().length, 1);
});

// --- SezzleClient ----------------------------------------------------------------------------

test("SezzleClient: 20 concurrent getSession calls cause exactly one authentication", async () => {
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys });
  const sessions = await Promise.all(Array.from({ length: 20 }, () => client.getSession(SEED_UUID)));
  assert.ok(sessions.every((s) => s.uuid === SEED_UUID));
  assert.equal(posts().length, 1);
  assert.equal(gets().length, 20);
  assert.equal(new Set(gets().map((r) => r.headers.authorization)).size, 1);
  // Later calls reuse the token while it has time to live.
  await client.getSession(SEED_UUID);
  assert.equal(posts().length, 1);
});

test("SezzleClient: a token near its expiration_date is renewed before use", async () => {
  const short = await startMockGateway({ tokenTtlMs: 2000 });
  try {
    const client = new SezzleClient({ baseUrl: short.baseUrl, ...short.keys, renewBeforeMs: 1500 });
    await client.getSession(SEED_UUID);
    await client.getSession(SEED_UUID);
    assert.equal(short.requests.filter((r) => r.method === "POST").length, 1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await client.getSession(SEED_UUID);
    const auths = short.requests.filter((r) => r.method === "POST");
    const sessionGets = short.requests.filter((r) => r.method === "GET");
    assert.equal(auths.length, 2);
    assert.equal(sessionGets.length, 3);
    assert.notEqual(sessionGets[2].headers.authorization, sessionGets[0].headers.authorization);
    // No request was refused: renewal happened before the gateway's expiry.
    assert.ok(!short.requests.some((r) => r.cancelled));
  } finally {
    await short.close();
  }
});

test("SezzleClient: a 401 causes one re-authentication and one repeat", async () => {
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys });
  await client.getSession(SEED_UUID);
  gateway.expireTokens();
  gateway.reset();
  const session = await client.getSession(SEED_UUID);
  assert.equal(session.uuid, SEED_UUID);
  assert.deepEqual(gateway.requests.map((r) => r.method), ["GET", "POST", "GET"]);
  assert.notEqual(gets()[0].headers.authorization, gets()[1].headers.authorization);
});

test("SezzleClient: a 401 that persists is an error after one repeat, not a loop", async () => {
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys });
  const unauthorized = { status: 401, body: JSON.stringify([{ code: "unauthorized", location: "Authorization", message: "token revoked", debug_uuid: "d-401" }]) };
  gateway.fault("GET", SESSION_PATH, unauthorized, unauthorized, unauthorized, unauthorized);
  const error = await rejection(client.getSession(SEED_UUID));
  assert.equal(error.kind, "http");
  assert.equal(error.status, 401);
  assert.equal(error.debugUuid, "d-401");
  assert.deepEqual(gateway.requests.map((r) => r.method), ["POST", "GET", "POST", "GET"]);
});

test("SezzleClient with a token: a 401 is reported, with no authentication", async () => {
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, token });
  assert.equal((await client.getSession(SEED_UUID)).uuid, SEED_UUID);
  gateway.expireTokens();
  const error = await rejection(client.getSession(SEED_UUID));
  assert.equal(error.status, 401);
  assert.equal(posts().length, 0);
  assert.equal(gets().length, 2);
});

test("SezzleClient: a caller that aborts while the shared authentication runs leaves the others unharmed", async () => {
  gateway.fault("POST", AUTH_PATH, { delayMs: 300 });
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys });
  const controller = new AbortController();
  const quitter = client.getSession(SEED_UUID, { signal: controller.signal });
  const stayer = client.getSession(SEED_UUID);
  controller.abort();
  assert.equal((await rejection(quitter)).kind, "aborted");
  assert.equal((await stayer).uuid, SEED_UUID);
  assert.equal(posts().length, 1);
  assert.equal(gets().length, 1);
});

// --- getSession's steps ----------------------------------------------------------------

// getSession's loop is in js/client.js; the module's SessionGetter says where each attempt
// goes (`start`) and what each answer means (`after`). What `after` reads is what attempt.js
// resolved, but it is read as if anything could be there: each shape below is an answer
// (undefined), a wait (a number) or the module's error object, and the instance lives on.
test("the module's session steps take any value without trapping, and the instance goes on", async () => {
  const internals = getSession[Symbol.for("sezzle-session.internals")];
  await internals.load();
  const generation = internals.generation();
  const getter = internals.wasm().session_getter(base());
  const throwing = new Proxy([], {
    get() {
      throw new Error("a trap");
    },
  });
  const lying = { toString: () => { throw new Error("toString"); }, valueOf: () => { throw new Error("valueOf"); } };
  const bytes = new Uint8Array([123, 125]);
  const answers = [
    undefined, null, 5, "x", [], [0], [0, "200"], [0, 200], [NaN], [99],
    [0, 200, "application/json", "2", undefined, 0, bytes],
    [0, 200, "application/json", "2", undefined, 0, "not bytes"],
    [0, 200, lying, lying, lying, 0, lying],
    [0, 200, "text/html", "2", undefined, 0, bytes],
    [0, 1e308, "application/json", "2", "1e308", 0, bytes],
    [0, -1, "application/json", "2", undefined, 0, bytes],
    [0, 503, "application/json", "2", "Fri, 31 Dec 9999 23:59:59 GMT", 0, bytes],
    [0, 200, "application/json", "2", undefined, 1, lying],
    [0, 200, "application/json", "2", undefined, 2, lying],
    [0, 200, "application/json", "2", undefined, 9, Symbol("s")],
    [1, 302, lying], [2, lying], [3, lying], [4, lying], [5], [6, lying], [7], [8],
    throwing,
    new Proxy([0, 200, "application/json", "2", undefined, 0, bytes], { get: (t, k) => (k === "6" ? throwing : t[k]) }),
  ];
  // client.getSession's steps (a SessionCall) take the same answers.
  const client = new (internals.wasm().GatewayClient)(base());
  const call = client.session_call(SEED_UUID, undefined);
  assert.equal(call.token(), undefined, "a client made with a token has it at once");
  call.start(0);
  for (const [i, got] of answers.entries()) {
    for (const [retry, step] of [0, 3, 2 ** 32 - 1].flatMap((retry) => [
      [retry, (...n) => getter.after(SEED_UUID, retry, 0, got, ...n)],
      [retry, (...n) => call.after(retry, 0, got, ...n)],
    ])) {
      let out;
      // (Its numbers as the package reads them, and numbers no attempt gives.)
      const numbers = [0, 1, 5].map((at) => {
        try {
          return typeof got[at] === "number" ? got[at] : NaN;
        } catch {
          return NaN;
        }
      });
      try {
        out = step(...(i % 3 === 2 ? [NaN, Infinity, -0] : numbers));
      } catch (error) {
        out = error;
      }
      const isError = out !== null && typeof out === "object" && typeof out.kind === "string" && typeof out.message === "string";
      assert.ok(out === undefined || (typeof out === "number" && out >= 0) || isError, `answer ${i}, retry ${retry}: ${String(out)}`);
      if (isError) assert.ok(!JSON.stringify(out.message).includes(token), `answer ${i}: the token in ${out.message}`);
    }
  }
  for (const [i, uuid] of [undefined, 5, {}, lying, throwing, "", "a/b", "..", "x".repeat(100_000), "é"].entries()) {
    assert.throws(() => getter.start(uuid, 0), (error) => typeof error.kind === "string" && typeof error.message === "string", `uuid ${i}`);
  }
  call.free();
  client.free();
  assert.equal(internals.generation(), generation, "a step trapped and the instance was replaced");
  const session = await getSession(SEED_UUID, base());
  assert.equal(session.uuid, SEED_UUID);
});

// js/client.js sends a uuid that passes SESSION_UUID (generated from the Rust rule) without
// asking the module: the pattern must take exactly the uuids the module's start takes.
test("SESSION_UUID takes exactly the session uuids the module takes", async () => {
  // (js/ is the package's template, CommonJS by its package.json: the pattern is read from the file.)
  const text = readFileSync(new URL("../../js/client.generated.js", import.meta.url), "utf8");
  const [, source] = /^export const SESSION_UUID = \/(.*)\/;$/m.exec(text);
  const SESSION_UUID = new RegExp(source);
  const internals = getSession[Symbol.for("sezzle-session.internals")];
  await internals.load();
  const getter = internals.wasm().session_getter(base());
  const fixed = [SEED_UUID, "", ".", "..", "...", "a..b", ".a", "a.", "~", "-", "_", "a.b_c~d-E9", "a/b", "a b", "é", "a\n", "\na", "a\r", "%2F", "a?b", "a#b", "١", "ａ", "K", "\u2028", "x".repeat(128), "x".repeat(129), ".".repeat(128)];
  // Every ASCII character alone and beside a letter, and random strings over them and a few others.
  const chars = [...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)), "é", "\u{1F600}", "\uD800"];
  const strings = [...fixed, ...chars, ...chars.map((c) => `a${c}b`)];
  let seed = 7;
  const random = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  for (let i = 0; i < 2000; i++) strings.push(Array.from({ length: 1 + random(6) }, () => (random(3) ? "ab.-_~9Z"[random(8)] : chars[random(chars.length)])).join(""));
  let taken = 0;
  for (const uuid of strings) {
    let ok = true;
    try {
      getter.start(uuid, 0);
    } catch {
      ok = false;
    }
    taken += ok;
    assert.equal(SESSION_UUID.test(uuid), ok, JSON.stringify(uuid));
  }
  assert.ok(taken > 100 && taken < strings.length - 100, `a corpus of both kinds: ${taken} of ${strings.length} taken`);
});
