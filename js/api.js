// The JavaScript face of the package: input handling, SezzleError, and the exported
// functions. Validation itself happens in the wasm module; this file only moves bytes in and
// turns its one-string answers into objects and errors.
//
// Written once as an ES module; scripts/build-pkg.mjs derives the CommonJS copy from it.

import { createClient, CLIENT_DEFAULTS, describe } from "./client.js";

const MAX_INPUT_BYTES = 1024 * 1024;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

const DETAILS = ["status", "apiErrors", "debugUuid", "retryAfterMs", "issues", "attempts"];

export class SezzleError extends Error {
  constructor(kind, message, details = {}) {
    super(message, "cause" in details ? { cause: details.cause } : undefined);
    this.kind = kind;
    for (const key of DETAILS) if (details[key] !== undefined) this[key] = details[key];
  }

  /** What `JSON.stringify` and loggers show: name, kind, message and the details. */
  toJSON() {
    const json = { name: this.name, kind: this.kind, message: this.message };
    for (const key of DETAILS) if (this[key] !== undefined) json[key] = this[key];
    return json;
  }
}
SezzleError.prototype.name = "SezzleError";

function invalidArgument(message) {
  return new SezzleError("invalid_argument", message);
}

function rootIssue(code, message, cause) {
  const details = { issues: [{ path: [], code, message }] };
  if (cause !== undefined) details.cause = cause;
  return new SezzleError("validation", `invalid session: (root): ${message}`, details);
}

function tooLarge(size) {
  return rootIssue("too_large", `the input is ${size}; at most ${MAX_INPUT_BYTES} bytes are accepted`);
}

function isBytes(value) {
  return value instanceof Uint8Array || Object.prototype.toString.call(value) === "[object Uint8Array]";
}

// Wire answers from the wasm module are `{"ok": value}` or `{"error": {message, issues}}`.
function unwrap(answer) {
  const parsed = JSON.parse(answer);
  if ("ok" in parsed) return parsed.ok;
  throw new SezzleError("validation", parsed.error.message, { issues: parsed.error.issues });
}

function hostsOption(options, name) {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== "object") throw invalidArgument(`${name}: options must be an object, got ${describe(options)}`);
  const hosts = options.allowedHosts;
  if (hosts === undefined) return undefined;
  if (!Array.isArray(hosts) || hosts.some((h) => typeof h !== "string" || h === "")) {
    throw invalidArgument(`${name}: options.allowedHosts must be an array of host names`);
  }
  return JSON.stringify(hosts); // as the module takes them (src/wasm.rs, safe_url)
}

// The session the module's tape describes (src/fast.rs, TAPE_HEADER): each value is a span of
// the input text, [start, end); a string written with escapes has ESCAPED added to its start
// and ends at its closing quote, and is decoded by JSON.parse; an absent value starts at -1.
// Fields come in the order the full parse writes them; absent optional ones are left out.
const TAPE_HEADER = 20;
const TAPE_LINK = 6;
const ESCAPED = 1 << 30;
const ORDER_FIELDS = ["intent", "checkout_url"];
const TOKENIZE_FIELDS = ["expiration", "approval_url"];

function readTape(text, words, at) {
  const value = (i) => {
    const start = words[at + i];
    if (start < ESCAPED) return text.slice(start, words[at + i + 1]);
    return JSON.parse(text.slice(start - ESCAPED - 1, words[at + i + 1] + 1));
  };
  const links = (i) => {
    const count = words[at + i + 1];
    const list = [];
    for (let k = 0, r = TAPE_HEADER + TAPE_LINK * words[at + i]; k < count; k++, r += TAPE_LINK) {
      list.push({ href: value(r), method: value(r + 2), rel: value(r + 4) });
    }
    return list;
  };
  // `order` or `tokenize`, its id already in `part`: two optional strings, then its links.
  const block = (part, names, slot, linksSlot) => {
    if (words[at + slot] !== -1) part[names[0]] = value(slot);
    if (words[at + slot + 2] !== -1) part[names[1]] = value(slot + 2);
    part.links = links(linksSlot);
    return part;
  };
  const session = { uuid: value(0), links: links(14) };
  if (words[at + 2] !== -1) session.order = block({ uuid: value(2) }, ORDER_FIELDS, 4, 16);
  if (words[at + 8] !== -1) session.tokenize = block({ token: value(8) }, TOKENIZE_FIELDS, 10, 18);
  return session;
}

// The API over one wasm instance: `wasm` is wasm-bindgen's glue (its exported functions),
// `memory` the instance's memory (what initSync and init resolve to carries it).
export function createApi(wasm, memory) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  // An object (or anything else) as JSON text, or the validation error that it is not one.
  function objectText(input) {
    if (typeof input !== "object" || input === null) {
      throw rootIssue("invalid_type", `expected a JSON string, a Uint8Array or an object, got ${describe(input)}`);
    }
    let text;
    try {
      text = JSON.stringify(input);
    } catch (cause) {
      throw rootIssue("invalid_input", "the object could not be read as JSON (a getter threw, a cycle, or a BigInt)", cause);
    }
    if (typeof text !== "string") throw rootIssue("invalid_input", "the object's toJSON gave nothing to read as JSON");
    return text;
  }

  // Two paths. The input is written straight into the module's memory and the module gives
  // a verdict on the bytes (src/fast.rs): for a valid session in the usual shape it answers
  // only that, and leaves a tape of where each value is; the session is then built from
  // slices of the text. Anything else takes the full parse, whose answer carries the session
  // or every issue with its path.
  let words = new Int32Array(memory.buffer);
  let warning;

  // The module's memory as bytes at `ptr` (read after input_buffer, which may grow it).
  function bytesAt(ptr, length) {
    return new Uint8Array(memory.buffer, ptr, length);
  }

  // A text answer of the module: each such call returns its length, and the module keeps
  // the text at answer_address until its next answer (src/wasm.rs says why).
  function answerText(length) {
    return decoder.decode(bytesAt(wasm.answer_address(), length));
  }
  const answerJson = (length) => JSON.parse(answerText(length));

  function load(bytes) {
    bytesAt(wasm.input_buffer(bytes.length), bytes.length).set(bytes);
    return bytes.length;
  }

  function loadText(text) {
    if (text.length > MAX_INPUT_BYTES) throw tooLarge(`${text.length} characters`);
    const room = text.length * 3; // UTF-8 needs at most 3 bytes per UTF-16 unit
    return encoder.encodeInto(text, bytesAt(wasm.input_buffer(room), room)).written;
  }

  function parsed(input) {
    let text;
    let length;
    if (typeof input === "string") {
      length = loadText(input);
      // encodeInto writes a lone surrogate as U+FFFD; read what the module read (Node 18 has
      // no toWellFormed, and keeps the string as it is).
      text = typeof input.toWellFormed === "function" ? input.toWellFormed() : input;
    } else if (isBytes(input)) {
      if (input.length > MAX_INPUT_BYTES) throw tooLarge(`${input.length} bytes`);
      length = load(input);
    } else {
      text = objectText(input);
      length = loadText(text);
    }
    const verdict = wasm.verdict_input(length);
    if (verdict === 0) return unwrap(answerText(wasm.parse_input(length)));
    // The tape counts from after a byte order mark; TextDecoder drops one as the module does.
    if (text === undefined) text = decoder.decode(input);
    else if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (words.buffer !== memory.buffer) words = new Int32Array(memory.buffer);
    let session;
    try {
      session = readTape(text, words, wasm.tape_address() >>> 2);
    } catch {
      // Never expected (the tests and the fuzz target hold the tape to the full parse); if
      // it happens, the full parse answers.
      return unwrap(answerText(wasm.parse_input(length)));
    }
    if (verdict === 1) return { session, warnings: [] };
    if (verdict === 3) return { session, warnings: answerJson(wasm.verdict_warnings()) };
    // The module's own words, read once; each caller gets a copy.
    warning ??= answerJson(wasm.tokenize_in_order_warning());
    return { session, warnings: [{ ...warning, path: [...warning.path] }] };
  }

  function parseSession(input) {
    return parsed(input).session;
  }

  function safeParseSession(input) {
    try {
      const { session, warnings } = parsed(input);
      return { success: true, data: session, warnings };
    } catch (error) {
      if (error instanceof SezzleError) return { success: false, error };
      // Anything else (an exotic Proxy, exhausted memory) is still reported, not thrown.
      return { success: false, error: new SezzleError("internal", "the input could not be read", { cause: error }) };
    }
  }

  // The URL of a session validated as parseSession does, then the host rule on it alone.
  function safeUrl(approval, name, input, options) {
    const hosts = hostsOption(options, name);
    const { session } = parsed(input);
    const url = approval ? session.tokenize?.approval_url : session.order?.checkout_url;
    if (url === undefined) return undefined;
    return unwrap(answerText(wasm.safe_url(url, approval, hosts))).url;
  }

  function checkoutUrl(input, options) {
    return safeUrl(false, "checkoutUrl", input, options);
  }

  function approvalUrl(input, options) {
    return safeUrl(true, "approvalUrl", input, options);
  }

  function findLink(links, rel, method = "GET") {
    if (!Array.isArray(links)) throw invalidArgument(`findLink: links must be an array, got ${describe(links)}`);
    if (typeof rel !== "string" || rel === "") throw invalidArgument("findLink: rel must be a non-empty string");
    const wanted = typeof method === "string" ? method.toUpperCase() : method;
    if (!METHODS.includes(wanted)) throw invalidArgument(`findLink: method must be one of ${METHODS.join(", ")}`);
    return links.find((link) => link !== null && typeof link === "object" && link.rel === rel && link.method === wanted);
  }

  const { getSession, authenticate, SezzleClient } = createClient(wasm, { SezzleError, parseBytes: parsed, answerJson });

  return {
    parseSession,
    safeParseSession,
    checkoutUrl,
    approvalUrl,
    findLink,
    getSession,
    authenticate,
    SezzleClient,
    SezzleError,
    MAX_INPUT_BYTES,
    CLIENT_DEFAULTS,
  };
}
