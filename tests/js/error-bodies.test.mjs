// A failed answer's body, as a hostile or broken gateway may send it: Sezzle's error objects
// become `apiErrors` and the message, anything else is said to be "not Sezzle's error JSON",
// and nothing in it (its shape, its bytes, its depth, a prototype the page changed) breaks
// the call or reaches the error but Sezzle's strings. The body is read with JSON.parse in
// src/client/attempt.js (`apiErrors`); what it means is the module's. Through getSession and
// authenticate with a fetch that answers each body; no request leaves the process.
import test from "node:test";
import assert from "node:assert/strict";
import { esm, rejection } from "./packed.mjs";

const { getSession, authenticate, SezzleError } = esm;
const UUID = "fadbc642-05a4-4e38-9e74-80e325623af9";
const TOKEN = "tok_error_bodies_0001";

// getSession's error for an answer of `status` with `body` (a string or bytes).
async function failure(body, status = 400, headers = { "content-type": "application/json" }) {
  const fetch = async () => new Response(body, { status, headers });
  const error = await rejection(getSession(UUID, { baseUrl: "http://127.0.0.1:9/v2", token: TOKEN, fetch, retries: 0 }));
  assert.ok(error instanceof SezzleError, String(error));
  assert.equal(error.kind, "http");
  assert.equal(error.status, status);
  return error;
}

const NOT_SEZZLE = "(the body is not Sezzle's error JSON)";

test("Sezzle's error array, or one error object, becomes apiErrors and the message", async () => {
  const error = await failure(JSON.stringify([{ code: "not_found", location: "session_uuid", message: "Session not found", debug_uuid: "d-1" }]), 404);
  assert.deepEqual(error.apiErrors, [{ code: "not_found", location: "session_uuid", message: "Session not found", debug_uuid: "d-1" }]);
  assert.equal(error.debugUuid, "d-1");
  assert.equal(error.message, `GET /v2/session/${UUID}: HTTP 404 Not Found: Session not found (not_found at session_uuid, debug_uuid d-1)`);
  const one = await failure(JSON.stringify({ code: "bad_request", message: "no" }));
  assert.deepEqual(one.apiErrors, [{ code: "bad_request", location: null, message: "no", debug_uuid: null }]);
  // A byte order mark before the JSON is no part of it; a later member of a key wins, as
  // JSON.parse has it; a value that is no string is absent.
  // A surrogate pair written as escapes is one character.
  const paired = await failure('[{"code":"x","message":"\\ud83d\\ude00"}]');
  assert.equal(paired.apiErrors[0].message, "\u{1F600}");
  const marked = await failure(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"code":"a","code":"b","message":5,"location":{"x":"y"}}')]));
  assert.deepEqual(marked.apiErrors, [{ code: "b", location: null, message: null, debug_uuid: null }]);
});

test("a body that is not Sezzle's error JSON is said so, and gives no apiErrors", async () => {
  const bodies = [
    "<html><body>502 Bad Gateway</body></html>",
    "[]",
    "[1]",
    '[{"code":"x"},1]',
    '[{"code":"x"},[]]',
    '{"location":"only"}',
    '"a string"',
    "null",
    "{",
    '{"code":"x"} trailing',
    "[".repeat(100_000) + "]".repeat(100_000), // deeper than any reader's stack
    Buffer.from('{"code":"\xff\xfe"}', "latin1"), // not UTF-8
    '{"__proto__":{"code":"x","message":"m"}}', // an own key named __proto__, no code of its own
    '[{"code":"x","message":"\\ud800 alone"}]', // a lone surrogate: no Unicode text
    '[{"code":"x","\\udfff":"y"}]', // in a key too
  ];
  for (const body of bodies) {
    const error = await failure(body, 502);
    assert.equal(error.apiErrors, undefined, String(body).slice(0, 40));
    assert.ok(error.message.endsWith(NOT_SEZZLE), error.message);
  }
  const empty = await failure("", 500);
  assert.equal(empty.message, `GET /v2/session/${UUID}: HTTP 500 Internal Server Error (empty body)`);
});

test("a prototype the page changed adds nothing to an error object", async () => {
  Object.defineProperty(Object.prototype, "message", { value: "planted", configurable: true, writable: true });
  try {
    const error = await failure('[{"code":"x"}]');
    assert.deepEqual(error.apiErrors, [{ code: "x", location: null, message: null, debug_uuid: null }]);
    assert.ok(!error.message.includes("planted"), error.message);
  } finally {
    delete Object.prototype.message;
  }
});

test("a huge error body is read within the 1 MiB cap, and an error that echoes the token is cleaned of it", async () => {
  const many = JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ code: `c${i}`, message: "m" })));
  const error = await failure(many);
  assert.equal(error.apiErrors.length, 5000);
  const echoed = await failure(JSON.stringify([{ code: "unauthorized", message: `bad token ${TOKEN}`, debug_uuid: TOKEN }]), 401);
  assert.ok(!JSON.stringify(echoed.apiErrors).includes(TOKEN), JSON.stringify(echoed.apiErrors));
  assert.ok(!echoed.message.includes(TOKEN), echoed.message);
});

test("authenticate reads a failed answer's body the same way", async () => {
  const fetch = async () => new Response(JSON.stringify([{ code: "unauthorized", message: "Invalid keys" }]), { status: 401 });
  const error = await rejection(authenticate({ baseUrl: "http://127.0.0.1:9/v2", publicKey: "pk_1", privateKey: "sk_1", fetch, retries: 0 }));
  assert.equal(error.kind, "http");
  assert.deepEqual(error.apiErrors, [{ code: "unauthorized", location: null, message: "Invalid keys", debug_uuid: null }]);
  assert.match(error.message, /^POST \/v2\/authentication: HTTP 401 Unauthorized: Invalid keys \(unauthorized\)$/);
});
