// The gateway client: getSession, authenticate and SezzleClient over `fetch`.
//
// This file does the I/O only: options, fetch, timers, AbortSignal, reading bodies. Every
// question of policy (which URL, is this uuid safe, what does this answer mean, how long to
// wait before a retry, what an authentication answer holds) is asked of the wasm module
// (src/client.rs), and session bodies are validated there as bytes.
//
// Written once as an ES module; scripts/build-pkg.mjs derives the CommonJS copy from it.

import { CUT, scrub } from "./redact.js";

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_RETRIES = 10;
const MAX_TIMER_MS = 2_147_483_647;
export const CLIENT_DEFAULTS = Object.freeze({ environment: "sandbox", region: "us", timeoutMs: 10_000, retries: 2, renewBeforeMs: 60_000 });

const REQUEST_OPTIONS = ["environment", "region", "baseUrl", "timeoutMs", "retries", "signal", "fetch"];
const GET_OPTIONS = new Set([...REQUEST_OPTIONS, "token"]);
const AUTH_OPTIONS = new Set([...REQUEST_OPTIONS, "publicKey", "privateKey"]);
const CLIENT_OPTIONS = new Set([...REQUEST_OPTIONS, "token", "publicKey", "privateKey", "renewBeforeMs"]);
const CALL_OPTIONS = new Set(["signal"]);
// Connection failures where the request surely never reached the gateway (Node's codes).
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/** A value's kind for messages: "null", "array", or its typeof. */
export function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

// What a thrown value says, read without trusting it: an injected fetch may throw anything,
// a Proxy whose traps throw included.
function textOf(value) {
  try {
    const text = value instanceof Error ? value.message : String(value);
    return typeof text === "string" ? text : "";
  } catch {
    return "(a value that cannot be read)";
  }
}

function causeOf(value) {
  try {
    return value !== null && typeof value === "object" ? value.cause : undefined;
  } catch {
    return undefined;
  }
}

function errorCodes(error) {
  const codes = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; e = causeOf(e), depth++) {
    try {
      if (e !== null && typeof e === "object" && typeof e.code === "string") codes.push(e.code);
    } catch {
      // A code that cannot be read is no code.
    }
  }
  return codes;
}

function causeText(error) {
  const parts = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; e = causeOf(e), depth++) {
    const text = textOf(e);
    if (text && !parts.includes(text)) parts.push(text);
  }
  return parts.join(": ") || "unknown error";
}

function surelyNotSent(cause) {
  return errorCodes(cause).some((code) => NOT_SENT.has(code));
}

function pathOf(url) {
  return url.replace(/^[a-z]+:\/\/[^/]*/i, "");
}

// The host a redirect points at, resolved against the request's URL as fetch would; null
// when it is not known.
function hostOf(location, base) {
  if (typeof location !== "string") return null;
  try {
    return new URL(location, base).host || null;
  } catch {
    return null;
  }
}

function isJsonType(contentType) {
  return /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i.test(contentType);
}

export function createClient(wasm, { SezzleError, parseBytes, answerJson }) {
  const invalid = (message) => new SezzleError("invalid_argument", message);

  function answer(length, where) {
    const parsed = answerJson(length);
    if ("ok" in parsed) return parsed.ok;
    throw invalid(`${where}: ${parsed.error.message}`);
  }

  function readOptions(name, options, allowed, defaults = {}) {
    if (options === undefined || options === null) options = {};
    if (typeof options !== "object" || Array.isArray(options)) {
      throw invalid(`${name}: options must be an object, got ${describe(options)}`);
    }
    for (const key of Object.keys(options)) {
      if (!allowed.has(key)) throw invalid(`${name}: unknown option ${JSON.stringify(key)}; the options are ${[...allowed].join(", ")}`);
    }
    const o = { ...defaults, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    const text = (key) => {
      if (o[key] !== undefined && typeof o[key] !== "string") throw invalid(`${name}: options.${key} must be a string, got ${describe(o[key])}`);
    };
    for (const key of ["environment", "region", "baseUrl"]) text(key);
    for (const key of ["token", "publicKey", "privateKey"]) {
      text(key);
      // A header value with spaces or control characters makes fetch throw an error that
      // quotes it; refuse it here, without quoting it.
      if (o[key] !== undefined && !/^[\x21-\x7e]+$/.test(o[key])) {
        throw invalid(`${name}: options.${key} must be non-empty printable ASCII without spaces`);
      }
    }
    for (const key of ["timeoutMs", "renewBeforeMs"]) {
      const v = o[key];
      const least = key === "timeoutMs" ? 1 : 0;
      if (v !== undefined && !(typeof v === "number" && Number.isFinite(v) && v >= least && v <= MAX_TIMER_MS)) {
        throw invalid(`${name}: options.${key} must be a number of milliseconds from ${least} to ${MAX_TIMER_MS}, got ${String(v)}`);
      }
    }
    if (o.retries !== undefined && !(Number.isInteger(o.retries) && o.retries >= 0 && o.retries <= MAX_RETRIES)) {
      throw invalid(`${name}: options.retries must be an integer from 0 to ${MAX_RETRIES}, got ${String(o.retries)}`);
    }
    if (o.signal !== undefined && !(typeof o.signal?.aborted === "boolean" && typeof o.signal.addEventListener === "function" && typeof o.signal.removeEventListener === "function")) {
      throw invalid(`${name}: options.signal must be an AbortSignal`);
    }
    if (o.fetch !== undefined && typeof o.fetch !== "function") {
      throw invalid(`${name}: options.fetch must be a function, got ${describe(o.fetch)}`);
    }
    return o;
  }

  // Options every request needs, with defaults applied and the gateway URL checked.
  function requestOptions(name, options, allowed) {
    const o = readOptions(name, options, allowed, CLIENT_DEFAULTS);
    o.base = answer(wasm.gateway_url(o.environment, o.region, o.baseUrl), name);
    if (o.fetch === undefined) {
      if (typeof globalThis.fetch !== "function") throw invalid(`${name}: there is no global fetch here; pass options.fetch`);
      o.fetch = globalThis.fetch;
    }
    return o;
  }

  function requireKeys(name, o) {
    if (o.publicKey === undefined || o.privateKey === undefined) {
      throw invalid(`${name}: options.publicKey and options.privateKey are both required`);
    }
  }

  function sessionUrl(name, o, sessionUuid) {
    if (typeof sessionUuid !== "string") throw invalid(`${name}: sessionUuid must be a string, got ${describe(sessionUuid)}`);
    return answer(wasm.session_url(o.base, sessionUuid), name);
  }

  function abortedError(what, signal) {
    return new SezzleError("aborted", `${what}: cancelled by the caller's AbortSignal`, { cause: signal.reason });
  }

  // The caller's signal is the caller's object: a listener method that throws must not
  // escape as an unhandled rejection.
  function listen(signal, onAbort) {
    try {
      signal?.addEventListener("abort", onAbort, { once: true });
    } catch {}
  }

  function unlisten(signal, onAbort) {
    try {
      signal?.removeEventListener("abort", onAbort);
    } catch {}
  }

  // Resolves `promise`, or rejects at once with `aborted` when the signal fires first.
  function untilAborted(promise, signal, what) {
    if (!signal) return promise;
    if (signal.aborted) return Promise.reject(abortedError(what, signal));
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortedError(what, signal));
      listen(signal, onAbort);
      promise.then(resolve, reject).finally(() => unlisten(signal, onAbort));
    });
  }

  function sleep(ms, signal, what) {
    let timer;
    const wait = new Promise((resolve) => (timer = setTimeout(resolve, ms)));
    return untilAborted(wait, signal, what).finally(() => clearTimeout(timer));
  }

  // What a fetch resolved to, read once into plain values: nothing later touches the
  // caller's object again. A value that is not a Response (null, a number, an object whose
  // getters throw, a Proxy) gives `{ unreadable }`, never a TypeError.
  function responseOf(response) {
    try {
      if (response === null || typeof response !== "object") return { unreadable: `it resolved to ${describe(response)}, not a Response` };
      const { status, type, redirected, headers, body } = response;
      const header = (name) => {
        const value = Reflect.apply(headers.get, headers, [name]);
        return typeof value === "string" ? value : null;
      };
      // A browser's answer to `redirect: "manual"`: status 0, no headers, no body.
      if (type === "opaqueredirect") return { status: 0, redirect: true };
      // A fetch that followed a redirect although told not to: where it ended is not the gateway.
      if (redirected === true) return { status: 0, redirect: true, location: typeof response.url === "string" ? response.url : null, body };
      if (type === "error") return { failed: new TypeError("the fetch answered a network error (Response.error())") };
      if (!Number.isInteger(status) || status < 200 || status > 599) return { unreadable: `its status is ${String(status).slice(0, 20)}` };
      const answer = {
        status,
        headers: { contentType: header("content-type"), contentLength: header("content-length"), retryAfter: header("retry-after") },
        body,
        response,
      };
      if (status >= 300 && status < 400) return { ...answer, redirect: true, location: header("location") };
      return answer;
    } catch (cause) {
      return { unreadable: `reading it threw (${causeText(cause)})` };
    }
  }

  // Cancels a body that will not be read; whatever the cancel does is ignored.
  function discard(body) {
    Promise.resolve()
      .then(() => body?.cancel())
      .catch(() => {});
  }

  // Reads a body of at most MAX_BODY_BYTES; a larger one is cancelled as soon as it is seen.
  // Reading stops when `signal` fires: the attempt has been abandoned.
  async function readBody({ headers, body, response }, signal) {
    const length = /^\d{1,15}$/.test(headers.contentLength ?? "") ? Number(headers.contentLength) : undefined;
    if (length > MAX_BODY_BYTES) {
      discard(body);
      return { tooLarge: length };
    }
    // A null body is an empty one (a 204, or a Response made without one).
    if (body === null) return { bytes: new Uint8Array(0) };
    try {
      if (body === undefined || typeof body.getReader !== "function") return await readWithoutStream(response, length);
    } catch (cause) {
      return { failed: cause };
    }
    let reader;
    const chunks = [];
    let size = 0;
    try {
      reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (signal.aborted) {
          discard(reader);
          return { failed: signal.reason };
        }
        if (done) break;
        if (!ArrayBuffer.isView(value)) throw new TypeError(`the body stream gave ${describe(value)}, not bytes`);
        const chunk = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        size += chunk.byteLength;
        if (size > MAX_BODY_BYTES) {
          discard(reader);
          return { tooLarge: `over ${MAX_BODY_BYTES}` };
        }
        chunks.push(chunk);
      }
    } catch (cause) {
      discard(reader);
      return { failed: cause };
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.byteLength;
    }
    return { bytes };
  }

  // A Response-like without a body stream (an injected fetch, a polyfill): its
  // arrayBuffer() reads everything at once, so it is called only when content-length
  // promises at most MAX_BODY_BYTES, and what it gives is held to that again. Without that
  // promise the answer is refused: reading it could take any amount of memory.
  async function readWithoutStream(response, length) {
    if (length === undefined || typeof response.arrayBuffer !== "function") {
      return { unreadable: "it has no body stream, and no content-length of at most 1 MiB to read it whole by" };
    }
    const buffer = await response.arrayBuffer();
    if (!(buffer instanceof ArrayBuffer)) return { unreadable: `its arrayBuffer() gave ${describe(buffer)}` };
    if (buffer.byteLength > MAX_BODY_BYTES) return { tooLarge: buffer.byteLength };
    return { bytes: new Uint8Array(buffer) };
  }

  // The request and its answer's body, as far as they go; never rejects.
  async function fetchAndRead(o, req, signal) {
    let response;
    try {
      // Redirects are never followed (src/client.rs, redirect_failure says why). "manual"
      // rather than "error": Node answers the 3xx itself, whose status and Location go into
      // the error; "error" would give a TypeError like any failed connection.
      response = await Reflect.apply(o.fetch, globalThis, [
        req.url,
        { method: req.method, headers: req.headers, body: req.body, signal, redirect: "manual", credentials: "omit", cache: "no-store" },
      ]);
    } catch (cause) {
      return { type: "network", cause };
    }
    const reply = responseOf(response);
    if (reply.unreadable !== undefined) return { type: "unreadable", why: reply.unreadable };
    if (reply.failed !== undefined) return { type: "network", cause: reply.failed };
    if (reply.redirect) {
      discard(reply.body);
      return { type: "redirect", status: reply.status, host: hostOf(reply.location, req.url) };
    }
    let body = await readBody(reply, signal);
    if (body.unreadable !== undefined) {
      if (reply.status < 300) return { type: "unreadable", why: body.unreadable };
      // A failure's status says enough without its body.
      body = { bytes: new Uint8Array(0) };
    }
    return { type: "answer", status: reply.status, headers: reply.headers, ...body };
  }

  // One attempt, raced against timeoutMs and the caller's signal: the answer with its body,
  // or why there was none. An attempt the clock ends is abandoned even if the fetch ignores
  // its signal (a stuck injected fetch, a body that never ends); it can settle later to no
  // one, and fetchAndRead never rejects, so that is not an unhandled rejection.
  async function attempt(o, req) {
    const controller = new AbortController();
    let stop;
    const stopped = new Promise((resolve) => {
      stop = (type) => {
        resolve({ type });
        controller.abort();
      };
    });
    const onAbort = () => stop("aborted");
    listen(o.signal, onAbort);
    const timer = setTimeout(() => stop("timeout"), o.timeoutMs);
    try {
      return await Promise.race([stopped, fetchAndRead(o, req, controller.signal)]);
    } finally {
      clearTimeout(timer);
      unlisten(o.signal, onAbort);
    }
  }

  // Attempts until an answer that is not retried, or an error with kind http, network,
  // timeout or aborted. `req.retryNetwork(cause)` and `req.retryStatus` say what may repeat.
  async function exchange(o, req) {
    for (let retry = 0; ; retry++) {
      if (o.signal?.aborted) throw abortedError(req.what, o.signal);
      const got = await attempt(o, req);
      const attempts = retry + 1;
      const left = retry < o.retries;
      let retryAfterMs;
      if (got.type === "aborted") throw abortedError(req.what, o.signal);
      if (got.type === "unreadable") {
        // Not retried: a fetch that answers this will answer it again.
        throw new SezzleError("network", `${req.what}: the fetch's answer cannot be read as a Response: ${got.why}`, { attempts });
      }
      if (got.type === "redirect") {
        const { message, status } = answer(wasm.http_failure(req.what, got.status, new Uint8Array(0), undefined, got.host ?? undefined, Date.now()), req.what);
        throw new SezzleError("http", message, { status, attempts });
      }
      if (got.type === "timeout") {
        if (!left || !req.retryTimeout) {
          throw new SezzleError("timeout", `${req.what}: no answer within ${o.timeoutMs} ms (attempt ${attempts} of ${o.retries + 1})`, { attempts });
        }
      } else if (got.type === "network") {
        if (!left || !req.retryNetwork(got.cause)) {
          throw new SezzleError("network", `${req.what}: the connection failed after ${attempts} attempt${attempts > 1 ? "s" : ""}: ${causeText(got.cause)}`, {
            cause: got.cause,
            attempts,
          });
        }
      } else if (got.status >= 200 && got.status < 300) {
        return { ...got, attempts };
      } else {
        const failure = answer(
          wasm.http_failure(req.what, got.status, got.bytes ?? new Uint8Array(0), got.headers.retryAfter ?? undefined, undefined, Date.now()),
          req.what,
        );
        if (!left || !failure.retryable || !req.retryStatus) {
          const { message, status, apiErrors, debugUuid } = failure;
          const details = { status, attempts };
          if (apiErrors) details.apiErrors = apiErrors;
          if (debugUuid) details.debugUuid = debugUuid;
          if (failure.retryAfterMs !== undefined && failure.retryAfterMs !== null) details.retryAfterMs = failure.retryAfterMs;
          throw new SezzleError("http", message, details);
        }
        retryAfterMs = failure.retryAfterMs;
      }
      await sleep(wasm.backoff_ms(retry, retryAfterMs ?? undefined, Math.random()), o.signal, req.what);
    }
  }

  // A 2xx body that cannot be what was asked for: cut short, too large, or not JSON.
  function bodyProblem(got, what) {
    const issue = (code, message) => new SezzleError("validation", `${what}: ${message}`, { status: got.status, issues: [{ path: [], code, message }] });
    if (got.tooLarge !== undefined) return issue("too_large", `the response body is ${got.tooLarge} bytes; at most ${MAX_BODY_BYTES} are read`);
    if (got.failed !== undefined) return issue("truncated", `the response body ended early (${causeText(got.failed)})`);
    const type = got.headers.contentType;
    if (type !== null && !isJsonType(type)) return issue("invalid_content_type", `the response is ${type.length > 80 ? `${type.slice(0, 80)}${CUT}` : type}, not application/json`);
    return undefined;
  }

  async function fetchSession(o, url, token) {
    const what = `GET ${pathOf(url)}`;
    const got = await exchange(o, {
      method: "GET",
      url,
      what,
      headers: { accept: "application/json", authorization: `Bearer ${token}` },
      retryNetwork: () => true,
      retryTimeout: true,
      retryStatus: true,
    });
    const problem = bodyProblem(got, what);
    if (problem) throw problem;
    try {
      return parseBytes(got.bytes).session;
    } catch (error) {
      if (error instanceof SezzleError) {
        error.message = `${what}: ${error.message}`;
        error.status = got.status;
      }
      throw error;
    }
  }

  async function fetchToken(o) {
    const url = answer(wasm.authentication_url(o.base), "authenticate");
    const what = `POST ${pathOf(url)}`;
    const got = await exchange(o, {
      method: "POST",
      url,
      what,
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ public_key: o.publicKey, private_key: o.privateKey }),
      // The gateway may have acted on a request that got no answer: repeat only one that
      // surely never left this machine.
      retryNetwork: surelyNotSent,
      retryTimeout: false,
      retryStatus: false,
    });
    const problem = bodyProblem(got, what);
    if (problem) throw problem;
    const parsed = answerJson(wasm.parse_authentication(got.bytes));
    if ("error" in parsed) {
      const message = parsed.error.message;
      throw new SezzleError("validation", `${what}: ${message}`, { status: got.status, issues: [{ path: [], code: "invalid_input", message }] });
    }
    return parsed.ok;
  }

  function isSezzleError(error) {
    try {
      return error instanceof SezzleError;
    } catch {
      return false; // a Proxy whose getPrototypeOf trap throws
    }
  }

  // Runs a call: whatever it throws leaves as a SezzleError cleaned of `secrets`, an array
  // the call adds to as it learns them (js/redact.js).
  async function guarded(name, secrets, run) {
    try {
      return await run();
    } catch (error) {
      const sezzle = isSezzleError(error) ? error : new SezzleError("internal", `${name}: ${causeText(error)}`, { cause: error });
      throw scrub(sezzle, secrets);
    }
  }

  function getSession(sessionUuid, options) {
    const secrets = [];
    return guarded("getSession", secrets, () => {
      const o = requestOptions("getSession", options, GET_OPTIONS);
      const url = sessionUrl("getSession", o, sessionUuid);
      if (o.token === undefined) throw invalid("getSession: options.token is required (or use a SezzleClient with publicKey and privateKey)");
      secrets.push(o.token);
      return fetchSession(o, url, o.token);
    });
  }

  function authenticate(options) {
    const secrets = [];
    return guarded("authenticate", secrets, async () => {
      const o = requestOptions("authenticate", options, AUTH_OPTIONS);
      requireKeys("authenticate", o);
      secrets.push(o.privateKey);
      const { token, expiration_date, merchant_uuid } = await fetchToken(o);
      return { token, expiration_date, merchant_uuid };
    });
  }

  class SezzleClient {
    #options;
    #token;
    #expiresAt = 0;
    #pending = null;

    constructor(options) {
      const o = requestOptions("SezzleClient", options, CLIENT_OPTIONS);
      if (o.token !== undefined && (o.publicKey !== undefined || o.privateKey !== undefined)) {
        throw invalid("SezzleClient: give options.token, or options.publicKey and options.privateKey, not both");
      }
      if (o.token === undefined) requireKeys("SezzleClient", o);
      this.#token = o.token;
      this.#expiresAt = o.token === undefined ? 0 : Infinity;
      this.#options = o;
    }

    /** The session, fetched with a token that is authenticated lazily and renewed. */
    getSession(sessionUuid, options) {
      const secrets = [this.#options.token, this.#options.privateKey];
      return guarded("client.getSession", secrets, async () => {
        const call = readOptions("client.getSession", options, CALL_OPTIONS);
        const o = { ...this.#options, signal: call.signal ?? this.#options.signal };
        const url = sessionUrl("client.getSession", o, sessionUuid);
        const what = `GET ${pathOf(url)}`;
        const token = await this.#currentToken(o.signal, what);
        secrets.push(token);
        try {
          return await fetchSession(o, url, token);
        } catch (error) {
          if (!(error instanceof SezzleError && error.kind === "http" && error.status === 401) || o.publicKey === undefined) throw error;
          // The gateway no longer takes the token: authenticate once more, repeat once.
          this.#forget(token);
          const renewed = await this.#currentToken(o.signal, what);
          secrets.push(renewed);
          return await fetchSession(o, url, renewed);
        }
      });
    }

    #forget(token) {
      if (this.#token === token) {
        this.#token = undefined;
        this.#expiresAt = 0;
      }
    }

    // The token in hand while it has more than renewBeforeMs to live; otherwise the one
    // authentication in flight, shared by every caller (each may stop waiting on its signal).
    #currentToken(signal, what) {
      if (this.#token !== undefined && Date.now() < this.#expiresAt - this.#options.renewBeforeMs) {
        return Promise.resolve(this.#token);
      }
      if (this.#pending === null) {
        const o = { ...this.#options, signal: undefined };
        this.#pending = fetchToken(o)
          .then(({ token, expiresAtMs }) => {
            this.#token = token;
            this.#expiresAt = expiresAtMs;
            return token;
          })
          .finally(() => {
            this.#pending = null;
          });
        // A rejection nobody awaits (every caller aborted) is not an unhandled one.
        this.#pending.catch(() => {});
      }
      return untilAborted(this.#pending, signal, what);
    }
  }

  return { getSession, authenticate, SezzleClient };
}
