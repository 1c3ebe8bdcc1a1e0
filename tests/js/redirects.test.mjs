// Redirects are never followed: a gateway (or whoever answers in its place) that redirects
// gets an http error, and the keys and the token go nowhere but the configured origin. Two
// mock gateways on 127.0.0.1 stand for the gateway and for "another origin", which records
// whether it was contacted.
import test, { after, before, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startMockGateway } from "./mock.mjs";
import { esm, rejection } from "./packed.mjs";

const SEED_UUID = "fadbc642-05a4-4e38-9e74-80e325623af9";
const SESSION_PATH = /^\/v2\/session\//;
const AUTH_PATH = /^\/v2\/authentication$/;
const { getSession, authenticate, SezzleClient, SezzleError } = esm;

let gateway;
let other;
let token;
before(async () => {
  gateway = await startMockGateway();
  other = await startMockGateway();
});
after(() => Promise.all([gateway.close(), other.close()]));
beforeEach(() => {
  gateway.reset();
  other.reset();
  token = gateway.issueToken();
  // Were it asked, the other origin would answer a session of its own choosing.
  other.fault("GET", SESSION_PATH, ...Array(5).fill({ status: 200, body: JSON.stringify({ uuid: "planted-by-another-origin", links: [] }) }));
});

const otherHost = () => new URL(other.origin).host;
const moved = (status, path) => ({ status, body: "moved", headers: { location: `${other.origin}${path}` } });

function assertRedirectError(error, status) {
  assert.equal(error.kind, "http");
  assert.equal(error.status, status);
  assert.equal(error.attempts, 1);
  assert.ok(error.message.includes(`HTTP ${status}`), error.message);
  assert.ok(error.message.includes(`to ${otherHost()}`), error.message);
}

test("authenticate: a 307 or 308 to another (plain http) origin is an http error; the keys never reach it", async () => {
  for (const status of [307, 308]) {
    gateway.reset();
    other.reset();
    gateway.fault("POST", AUTH_PATH, moved(status, "/v2/authentication"));
    const error = await rejection(authenticate({ baseUrl: gateway.baseUrl, ...gateway.keys, retries: 3 }));
    assertRedirectError(error, status);
    assert.equal(gateway.requests.length, 1);
    assert.deepEqual(other.requests, [], `${status}: the other origin was contacted`);
  }
});

test("getSession: a 301, 302, 303, 307 or 308 to another origin is an http error, not that origin's session, and not retried", async () => {
  for (const status of [301, 302, 303, 307, 308]) {
    gateway.reset();
    gateway.fault("GET", SESSION_PATH, moved(status, `/v2/session/${SEED_UUID}`));
    const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, retries: 3 }));
    assertRedirectError(error, status);
    assert.equal(gateway.requests.length, 1, `${status} was retried`);
  }
  assert.deepEqual(other.requests, []);
});

test("getSession: a redirect within the gateway's own origin is refused all the same", async () => {
  gateway.fault("GET", SESSION_PATH, { status: 302, headers: { location: `/v2/session/${SEED_UUID}?again` } });
  const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token }));
  assert.equal(error.kind, "http");
  assert.equal(error.status, 302);
  assert.ok(error.message.includes(`to ${new URL(gateway.origin).host}`), error.message);
  assert.equal(gateway.requests.length, 1);
});

test("SezzleClient: a redirect on the authentication or on the session is an http error; nothing reaches the other origin", async () => {
  gateway.fault("POST", AUTH_PATH, moved(308, "/v2/authentication"));
  const client = new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys });
  assertRedirectError(await rejection(client.getSession(SEED_UUID)), 308);

  gateway.fault("GET", SESSION_PATH, moved(302, `/v2/session/${SEED_UUID}`));
  assertRedirectError(await rejection(client.getSession(SEED_UUID)), 302);
  assert.deepEqual(gateway.requests.map((r) => r.method), ["POST", "POST", "GET"]);
  assert.deepEqual(other.requests, []);

  // A client with a token alike.
  gateway.fault("GET", SESSION_PATH, moved(307, `/v2/session/${SEED_UUID}`));
  assertRedirectError(await rejection(new SezzleClient({ baseUrl: gateway.baseUrl, token }).getSession(SEED_UUID)), 307);
  assert.deepEqual(other.requests, []);
});

test("an injected fetch is told not to follow redirects, on every request", async () => {
  const seen = [];
  const spy = (url, init) => {
    seen.push([init.method, init.redirect]);
    return fetch(url, init);
  };
  await getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, fetch: spy });
  await authenticate({ baseUrl: gateway.baseUrl, ...gateway.keys, fetch: spy });
  await new SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys, fetch: spy }).getSession(SEED_UUID);
  assert.deepEqual(seen, [["GET", "manual"], ["POST", "manual"], ["POST", "manual"], ["GET", "manual"]]);

  // A wrapper that honours what it is passed: the redirect stops at the gateway.
  gateway.fault("GET", SESSION_PATH, moved(302, `/v2/session/${SEED_UUID}`));
  assertRedirectError(await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, fetch: spy })), 302);
  assert.deepEqual(other.requests, []);
});

test("a browser's opaque redirect (status 0, no Location) is an http error that says it was a redirect", async () => {
  const opaque = async () => ({ type: "opaqueredirect", status: 0, redirected: false, headers: new Headers(), body: null });
  const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, fetch: opaque, retries: 3 }));
  assert.equal(error.kind, "http");
  assert.equal(error.status, 0);
  assert.equal(error.attempts, 1);
  assert.match(error.message, /^GET \/v2\/session\/[\w-]+: a redirect; redirects are refused, not followed$/);
});

test("a fetch that follows a redirect although told not to: the answer it ends at is refused", async () => {
  const follows = (url, init) => fetch(url, { ...init, redirect: "follow" });
  gateway.fault("GET", SESSION_PATH, moved(302, `/v2/session/${SEED_UUID}`));
  const error = await rejection(getSession(SEED_UUID, { baseUrl: gateway.baseUrl, token, fetch: follows }));
  assert.equal(error.kind, "http");
  assert.match(error.message, new RegExp(`a redirect to ${otherHost()}; redirects are refused`));
  // The wrapper went there (its choice), but the session it brought back is not the result.
  assert.equal(other.requests.length, 1);
});
