// `sezzle-session/mock`: a local stand-in for Sezzle's gateway v2, for users' own tests, the
// package's tests and the demo, as stripe-mock is for stripe-node's users. It binds 127.0.0.1
// only.
//
//   npx sezzle-session mock [--port 8787]
//
// speaks POST /v2/authentication and GET /v2/session/{uuid}, with Sezzle-shaped error bodies,
// tokens that expire, and CORS for pages on other loopback ports. Tests use the exported
// startMockGateway() and script faults per request with gateway.fault(...). Bundled into
// pkg/mock.mjs by scripts/build-pkg.mjs, with the sessions of tests/fixtures/valid inlined.
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { FIXTURES } from "sezzle-session-mock-fixtures";

export const DEMO_KEYS = Object.freeze({ publicKey: "sz_pub_demo_public_key", privateKey: "sz_pr_demo_private_key" });
export const DEMO_MERCHANT_UUID = "7c0cfb9a-5c2f-4f8c-9d0e-6f1d1f9a5b11";
const MAX_BODY = 64 * 1024;

/**
 * The sessions the mock serves: every valid fixture of tests/fixtures/valid, by its file name
 * without `.json` (`order-only`), and by its uuid. Fixtures that share a uuid are variants of
 * one session: the uuid answers with the first, the seed's example for its own uuid.
 */
export function fixtureSessions() {
  const sessions = new Map();
  for (const [, text] of FIXTURES) {
    const session = JSON.parse(text);
    if (!sessions.has(session.uuid)) sessions.set(session.uuid, session);
  }
  for (const [name, text] of FIXTURES) sessions.set(name, JSON.parse(text));
  return sessions;
}

// Links in fixtures point at Sezzle's gateways; served by the mock they point back at it.
function pointLinksAt(session, base) {
  const text = JSON.stringify(session).replace(/https:\/\/(sandbox\.)?gateway(\.eu)?\.sezzle\.com\/v2/g, `${base}/v2`);
  return text;
}

function sezzleError(status, code, location, message) {
  return { status, body: JSON.stringify([{ code, location, message, debug_uuid: randomUUID() }]) };
}

/** What `value` is, for messages: its type, or the start of its text. */
function shown(value) {
  return typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : typeof value === "number" ? String(value) : typeof value;
}

// Options are checked when it starts: a mock that answers 500 to every request because of a
// typo in a test's options would say nothing of why.
function checkedOptions(options) {
  if (typeof options !== "object") throw new TypeError(`startMockGateway: options must be an object, got ${shown(options)}`);
  const port = options.port ?? 0;
  if (typeof port !== "number") throw new TypeError(`startMockGateway: port must be a number, got ${shown(port)}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`startMockGateway: port must be an integer from 0 to 65535, got ${shown(port)}`);
  }
  const keys = options.keys ?? DEMO_KEYS;
  const nonEmpty = (v) => typeof v === "string" && v.length > 0;
  if (typeof keys !== "object" || !nonEmpty(keys.publicKey) || !nonEmpty(keys.privateKey)) {
    throw new TypeError("startMockGateway: keys must be { publicKey, privateKey }, two non-empty strings");
  }
  const tokenTtlMs = options.tokenTtlMs ?? 120 * 60 * 1000;
  if (typeof tokenTtlMs !== "number" || !Number.isFinite(tokenTtlMs)) {
    throw new TypeError(`startMockGateway: tokenTtlMs must be a finite number of milliseconds, got ${shown(tokenTtlMs)}`);
  }
  const sessions = options.sessions ?? fixtureSessions();
  if (!(sessions instanceof Map)) throw new TypeError("startMockGateway: sessions must be a Map of session uuid to payload object");
  for (const [uuid, session] of sessions) {
    if (typeof uuid !== "string" || typeof session !== "object" || session === null) {
      throw new TypeError(`startMockGateway: sessions must map uuid strings to payload objects; ${shown(uuid)} does not`);
    }
  }
  return { port, keys: { publicKey: keys.publicKey, privateKey: keys.privateKey }, tokenTtlMs, sessions };
}

/**
 * Starts the mock gateway on 127.0.0.1. Options: port (0 picks a free one), keys
 * ({ publicKey, privateKey }), tokenTtlMs (default 120 minutes, as Sezzle's), sessions (a Map
 * of uuid to payload; default: the fixtures).
 */
export async function startMockGateway(options = {}) {
  const { port, keys, tokenTtlMs, sessions } = checkedOptions(options ?? {});
  const tokens = new Map(); // token -> expiry (ms since epoch)
  const faults = []; // { match(req) -> bool, fault }
  const requests = [];
  const sockets = new Set();

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function readBody(req) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY) throw new Error("request body too large");
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  // With a Content-Length, as Sezzle's gateway (and any server with a small JSON body)
  // answers; a fault can give its own headers, `"transfer-encoding": "chunked"` among them.
  function send(res, { status, body = "", headers = {} }) {
    const length = status === 204 || "transfer-encoding" in headers ? {} : { "content-length": String(Buffer.byteLength(body)) };
    res.writeHead(status, {
      "content-type": "application/json",
      "access-control-allow-origin": "*",
      "access-control-expose-headers": "retry-after, content-type",
      ...length,
      ...headers,
    });
    res.end(body);
  }

  // 32 MiB of a JSON array, 64 KiB at a time, as fast as the client reads it; with a
  // content-length, or chunked (the client only finds out by counting).
  function sendOversized(res, chunked) {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const total = 512;
    const headers = { "content-type": "application/json", "access-control-allow-origin": "*" };
    if (!chunked) headers["content-length"] = String(total * chunk.length + 2);
    res.writeHead(200, headers);
    res.write("[");
    let sent = 0;
    const more = () => {
      while (sent < total && !res.destroyed) {
        sent += 1;
        gateway.oversizedBytesSent += chunk.length;
        if (!res.write(chunk)) return res.once("drain", more);
      }
      if (!res.destroyed) res.end("]");
    };
    more();
  }

  async function handle(req, res) {
    const url = new URL(req.url, "http://127.0.0.1");
    const body = req.method === "POST" ? await readBody(req) : "";
    if (req.method === "OPTIONS") {
      return send(res, {
        status: 204,
        headers: {
          "access-control-allow-methods": "GET, POST, OPTIONS",
          "access-control-allow-headers": "authorization, content-type, user-agent, x-request-id",
          "access-control-max-age": "600",
        },
      });
    }
    if (url.pathname.startsWith("/__mock/")) return control(req, url, body, res);
    const seen = { method: req.method, path: url.pathname, headers: { ...req.headers }, body, at: Date.now() };
    requests.push(seen);
    // Whether the client hung up before the answer was complete (a cancelled request).
    res.on("close", () => {
      seen.cancelled = !res.writableFinished;
    });

    const index = faults.findIndex((f) => f.method === req.method && f.path.test(url.pathname));
    if (index >= 0) {
      const [{ fault }] = faults.splice(index, 1);
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.reset) return req.socket.destroy();
      if (fault.truncate) {
        res.writeHead(200, { "content-type": "application/json", "content-length": "4096", "access-control-allow-origin": "*" });
        res.write('{"uuid": "fadbc642-05a4-4e38-9e74-80e325623af9", "links": [');
        return setTimeout(() => res.destroy(), 20);
      }
      if (fault.oversized) return sendOversized(res, fault.oversized === "chunked");
      if (fault.status !== undefined || fault.body !== undefined) {
        return send(res, { status: fault.status ?? 200, body: fault.body ?? "", headers: fault.headers ?? {} });
      }
      // A delay alone: answer normally afterwards.
    }
    return route(req, url, body, res);
  }

  // Scripting over HTTP, for tests that run where they cannot call gateway.fault() (the
  // wasm-bindgen tests in Node and Chromium): POST /__mock/faults with { method, path (a
  // RegExp source), faults: [...] }, POST /__mock/reset, POST /__mock/expire-tokens,
  // POST /__mock/token (a valid token), GET /__mock/requests.
  function control(req, url, body, res) {
    const json = (value) => send(res, { status: 200, body: JSON.stringify(value) });
    try {
      if (req.method === "POST" && url.pathname === "/__mock/faults") {
        const { method, path, faults: list } = JSON.parse(body);
        gateway.fault(method, new RegExp(path), ...list);
        return json({ queued: list.length });
      }
      if (req.method === "POST" && url.pathname === "/__mock/reset") {
        gateway.reset();
        return json({});
      }
      if (req.method === "POST" && url.pathname === "/__mock/expire-tokens") {
        gateway.expireTokens();
        return json({});
      }
      if (req.method === "POST" && url.pathname === "/__mock/token") return json({ token: gateway.issueToken() });
      if (req.method === "GET" && url.pathname === "/__mock/requests") return json(requests);
    } catch (error) {
      return send(res, { status: 400, body: JSON.stringify({ error: String(error) }) });
    }
    return send(res, sezzleError(404, "not_found", "path", `No control route ${req.method} ${url.pathname}`));
  }

  function authorised(req) {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "");
    const expiry = match && tokens.get(match[1]);
    return expiry !== undefined && expiry !== null && expiry > Date.now();
  }

  function route(req, url, body, res) {
    if (req.method === "POST" && url.pathname === "/v2/authentication") {
      let credentials;
      try {
        credentials = JSON.parse(body);
      } catch {
        return send(res, sezzleError(400, "invalid", "body", "the request body is not JSON"));
      }
      if (credentials?.public_key !== keys.publicKey || credentials?.private_key !== keys.privateKey) {
        return send(res, sezzleError(401, "unauthorized", "private_key", "Invalid API keys"));
      }
      const token = `mock_${randomUUID()}`;
      const expiry = Date.now() + tokenTtlMs;
      tokens.set(token, expiry);
      const expiration_date = new Date(expiry).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
      return send(res, { status: 200, body: JSON.stringify({ token, expiration_date, merchant_uuid: DEMO_MERCHANT_UUID }) });
    }
    const session = /^\/v2\/session\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && session) {
      if (!authorised(req)) return send(res, sezzleError(401, "unauthorized", "Authorization", "Missing or expired token"));
      const payload = sessions.get(decodeURIComponent(session[1]));
      if (!payload) return send(res, sezzleError(404, "not_found", "session_uuid", "Session not found"));
      return send(res, { status: 200, body: pointLinksAt(payload, gateway.origin) });
    }
    return send(res, sezzleError(404, "not_found", "path", `No route for ${req.method} ${url.pathname}`));
  }

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const listening = server.address().port;

  const gateway = {
    origin: `http://127.0.0.1:${listening}`,
    baseUrl: `http://127.0.0.1:${listening}/v2`,
    keys,
    /**
     * Every request seen (OPTIONS preflights aside): method, path, headers, body, at, and
     * cancelled (true when the client hung up before the answer was complete).
     */
    requests,
    oversizedBytesSent: 0,
    /**
     * Queues faults for the next requests matching `method` and `path` (a RegExp), one per
     * request, in order. A fault: { status, body, headers } answers that; { delayMs } waits
     * first; { reset: true } drops the connection; { truncate: true } cuts a 200 body short;
     * { oversized: true } answers a 32 MiB body with its content-length, { oversized: "chunked" }
     * without one (gateway.oversizedBytesSent counts what left).
     */
    fault(method, path, ...list) {
      for (const fault of list) faults.push({ method, path, fault });
    },
    /** A valid token, as if authenticate had been called. */
    issueToken(ttlMs = tokenTtlMs) {
      const token = `mock_${randomUUID()}`;
      tokens.set(token, Date.now() + ttlMs);
      return token;
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, 0);
    },
    reset() {
      faults.length = 0;
      requests.length = 0;
      gateway.oversizedBytesSent = 0;
    },
    /** Stops it: open connections are dropped. */
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  gateway.stop = gateway.close;
  gateway[Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose")] = gateway.close;
  return gateway;
}

/**
 * Runs the mock until SIGINT or SIGTERM, saying where it listens, the demo keys and the
 * sessions it serves (`sezzle-session mock`, and `node mock.mjs` in the package).
 * `urlFile`: where to write its base URL once it listens (for scripts that pick port 0).
 */
export async function serveMockGateway({ port = 8787, urlFile, log = console.log } = {}) {
  const gateway = await startMockGateway({ port });
  if (urlFile) writeFileSync(urlFile, gateway.baseUrl);
  log(`mock Sezzle gateway on ${gateway.baseUrl}`);
  log(`keys: SEZZLE_PUBLIC_KEY=${DEMO_KEYS.publicKey} SEZZLE_PRIVATE_KEY=${DEMO_KEYS.privateKey}`);
  log(`sessions: ${[...fixtureSessions().keys()].join(", ")}`);
  const stop = () => gateway.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return gateway;
}

// `node mock.mjs [--port N] [--url-file F]`. No top-level await: the module can then be
// loaded by require() where Node allows it, and built as CommonJS (pkg/mock.cjs), where
// import.meta.url is undefined and this never runs.
if (import.meta.url !== undefined && import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const option = (name) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  serveMockGateway({ port: Number(option("--port") ?? 8787), urlFile: option("--url-file") }).catch((error) => {
    console.error(`mock: ${error.message}`);
    process.exit(1);
  });
}
