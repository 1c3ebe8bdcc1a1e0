// The parser's JavaScript face: input handling and the exported functions of the parser
// module (parseSession and the rest). Validation itself happens in the wasm module; this file
// only moves bytes in and turns its answers into objects and errors. The gateway client is
// js/client.js, over a module of its own that the entries load on first use.

import { SezzleError, STACK_OUT, describe, invalidArgument, isFailure, isStackError, guarded, guardedError } from "./errors.js";
import { Host } from "./host.js";
import { pathText } from "./path.js";
import { TAPE_HEADER, TAPE_LINK, ESCAPED, TRIMMED, ISSUE_CODES, MAX_INPUT_BYTES, MAX_DEPTH, METHODS, readSession, readLink } from "./tape.generated.js";
import { NOT_QUICK, quickSession } from "./tape.generated.js";

export { MAX_INPUT_BYTES };

function rootIssue(code, message, cause) {
  const details = { issues: [{ path: [], code, message }] };
  if (cause !== undefined) details.cause = cause;
  return invalidSession(`invalid session: (root): ${message}`, details);
}

function tooLarge(size) {
  return rootIssue("too_large", `the input is ${size}; at most ${MAX_INPUT_BYTES} bytes are accepted`);
}

function issueAt(path, code, message, cause) {
  const details = { issues: [{ path, code, message }] };
  if (cause !== undefined) details.cause = cause;
  return invalidSession(`invalid session: ${pathText(path)}: ${message}`, details);
}

// A Uint8Array's tag and size from its internal slots, through TypedArray's own getters: an
// object that fakes the tag, a `length` that lies and a Proxy are all seen for what they are.
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag).get;
const typedArrayByteLength = Object.getOwnPropertyDescriptor(TypedArrayPrototype, "byteLength").get;

function isBytes(value) {
  return ArrayBuffer.isView(value) && typedArrayTag.call(value) === "Uint8Array";
}

// A lone surrogate (half of a UTF-16 pair) is not Unicode: the module refuses one written as
// an escape, and a string or object holding one is refused alike, never silently replaced.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isWellFormed = typeof String.prototype.isWellFormed === "function" ? (text) => text.isWellFormed() : (text) => !LONE_SURROGATE.test(text);

function loneSurrogateInText(text) {
  const at = LONE_SURROGATE.exec(text).index;
  const line = text.slice(0, at).split("\n").length;
  const column = at - text.lastIndexOf("\n", at - 1);
  const unit = text.charCodeAt(at).toString(16).toUpperCase();
  const error = rootIssue("invalid_json", `malformed JSON at line ${line}, column ${column}: a lone surrogate U+${unit}, which is not Unicode`);
  Object.assign(error.issues[0], { line, column });
  return error;
}

// A Number, String, Boolean or BigInt object as the primitive JSON.stringify reads it as
// (it does so after the replacer has seen the object, which would hide Infinity or a lone
// surrogate inside one); any other object as it is. Plain objects and arrays, nearly all
// there is, skip the brand checks.
const BOXES = [
  [Number.prototype.valueOf, Number],
  [String.prototype.valueOf, String],
  [Boolean.prototype.valueOf, (value) => Boolean.prototype.valueOf.call(value)],
  [BigInt.prototype.valueOf, (value) => BigInt.prototype.valueOf.call(value)],
];

function unboxed(value) {
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === Array.prototype) return value;
  for (const [brand, convert] of BOXES) {
    try {
      brand.call(value);
    } catch {
      continue;
    }
    return convert(value);
  }
  return value;
}

// Why an object's value cannot be JSON, or undefined when it can. Strings are held to what
// text is held to; JSON.stringify would write Infinity and NaN as null and drop functions.
function unreadable(value) {
  switch (typeof value) {
    case "string":
      return isWellFormed(value) ? undefined : "a string with a lone surrogate, which is not Unicode";
    case "number":
      return Number.isFinite(value) ? undefined : `${value}, which JSON cannot represent`;
    case "bigint":
      return "a BigInt, which JSON cannot represent";
    case "function":
    case "symbol":
      return `a ${typeof value}, which is not a JSON value`;
    default:
      return undefined;
  }
}

// Issues as the module writes them (src/error.rs, issue_words says how): the words from
// `at`, and their text. Read back into objects faster than JSON.parse reads them as JSON.
function readIssues(words, at, text) {
  const count = words[at++];
  const length = words[at++];
  const message = length < 0 ? undefined : text.slice(0, length);
  let pos = Math.max(length, 0);
  const issues = [];
  for (let k = 0; k < count; k++) {
    const code = words[at];
    const length = words[at + 1];
    const line = words[at + 2];
    const column = words[at + 3];
    const steps = words[at + 4];
    at += 5;
    const path = [];
    for (let s = 0; s < steps; s++) {
      const step = words[at++];
      if (step < 0) path.push(-1 - step);
      else path.push(text.slice(pos, (pos += step)));
    }
    const issue = { path, code: ISSUE_CODES[code], message: text.slice(pos, (pos += length)) };
    if (line >= 0) issue.line = line;
    if (column >= 0) issue.column = column;
    issues.push(issue);
  }
  return { message, issues };
}

// Inside safeParseSession, which returns its error rather than throwing it: the error is made
// without stack frames, whose capture cost more than the whole parse of an invalid payload
// (`make bench`, "An invalid payload").
let returningErrors = 0;

function invalidSession(message, details) {
  if (returningErrors === 0) return new SezzleError("validation", message, details);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new SezzleError("validation", message, details);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const MAX_ALLOWED_HOSTS = 100;
// The longest host name DNS allows; an IP address literal is shorter.
const MAX_HOST_LENGTH = 253;

function hostsOption(options, name) {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== "object") throw invalidArgument(`${name}: options must be an object, got ${typeof options}`);
  let hosts;
  try {
    // An own property, as every option is (js/client.js reads the client's options alike): a
    // key planted on Object.prototype is none of the caller's, and must not widen the hosts.
    const given = Object.hasOwn(options, "allowedHosts") ? options.allowedHosts : undefined;
    if (given === undefined) return undefined;
    // Read once into an array of our own: one that answers differently on each read (a
    // Proxy, a getter) is checked and used as the same list.
    if (Array.isArray(given) && given.length <= MAX_ALLOWED_HOSTS) hosts = Array.from({ length: given.length }, (_, i) => given[i]);
  } catch (cause) {
    throw new SezzleError("invalid_argument", `${name}: options.allowedHosts could not be read`, { cause });
  }
  // (A control character is in no host name, and no URL's host could match one.)
  if (hosts === undefined || hosts.some((h) => typeof h !== "string" || h === "" || h.length > MAX_HOST_LENGTH || /[\x00-\x1f]/.test(h))) {
    throw invalidArgument(`${name}: options.allowedHosts must be an array of at most ${MAX_ALLOWED_HOSTS} host names (each at most ${MAX_HOST_LENGTH} characters)`);
  }
  return hosts.join("\n"); // as the module takes them (src/wasm.rs, safe_url): one a line
}

// A URL's ends as the WHATWG parser strips them (src/fast/tape.rs, TRIMMED).
const URL_ENDS = /^[\x00-\x20]+|[\x00-\x20]+$/g;

// A session's strings are slices of the text, and V8 keeps a slice of 13 or more characters
// as a view into its parent: a session kept alive would keep the whole text alive. A text the
// package owns (a fetched body) is never kept; a caller's text is, unless it is over
// COPY_FROM characters and over COPY_RATIO times what the session keeps (the README has the
// measurements).
const COPY_FROM = 16 * 1024;
const COPY_RATIO = 4;

// A copy that owns its characters: the concatenation is flattened into a new string.
const detached = (text) => (" " + text).slice(1);

// The session the module's tape describes (src/fast/tape.rs, TAPE_HEADER; its layout comes from
// js/tape.generated.js, which `cargo test` keeps equal to the Rust side): each value is a span
// of the input text, [start, end); a string written with escapes has ESCAPED added to its
// start and ends at its closing quote, and is decoded by JSON.parse; an absent value starts
// at NONE. Fields come in the order the full parse writes them; absent optional ones are left
// out.
function readTape(text, words, at, copy) {
  kept = 0;
  const session = readSession(text, words, at, copy, spanText, spanLinks);
  if (!copy && text.length > COPY_FROM && text.length > COPY_RATIO * kept) return readTape(text, words, at, true);
  return session;
}

// How many characters of the text the strings read since readTape began keep alive.
let kept = 0;

// The string whose span starts at word `i` (a copy of its own when `copy`).
function spanText(text, words, i, copy) {
  const start = words[i];
  const end = words[i + 1];
  if (start >= ESCAPED) {
    const decoded = JSON.parse(text.slice((start & ~(ESCAPED | TRIMMED)) - 1, end + 1));
    return start & TRIMMED ? decoded.replace(URL_ENDS, "") : decoded;
  }
  kept += end - start;
  return copy ? detached(text.slice(start, end)) : text.slice(start, end);
}

// The links listed at word `i`: their records' index and count.
function spanLinks(text, words, i, at, copy) {
  const list = [];
  for (let k = 0, r = at + TAPE_HEADER + TAPE_LINK * words[i]; k < words[i + 1]; k++, r += TAPE_LINK) {
    list.push(readLink(text, words, r, copy, spanText));
  }
  return list;
}

// An object as JSON text, read once as JSON.stringify reads it (toJSON, getters; a key
// whose value is undefined is absent), and held to what text is held to on the way: the
// depth limit, the size limit, and no value that JSON cannot carry. So a Proxy that lies, a
// 10,000-deep object or an endless array stops early with the issue at its path.
function objectText(input) {
  if (typeof input !== "object" || input === null) {
    const type = input === null ? "null" : typeof input;
    throw rootIssue("invalid_type", `expected a JSON string, a Uint8Array or an object, got ${type}`);
  }
  const seen = new Map(); // each object read: [its holder, its key, its depth]
  let size = 0; // at most the text's length: a key costs its quotes and colon too
  let problem;
  let root; // JSON.stringify's own wrapper around the input: the holder of the first call
  const pathTo = (holder, key) => {
    const path = [];
    for (let at = [holder, key]; at !== undefined && at[0] !== root; at = seen.get(at[0])) {
      let isArray = false;
      try {
        isArray = Array.isArray(at[0]);
      } catch {} // a revoked Proxy: its keys stay strings
      path.unshift(isArray ? Number(at[1]) : at[1]);
    }
    return path;
  };
  function replacer(key, value) {
    root ??= this;
    size += key.length + 1;
    if (typeof value === "object" && value !== null) value = unboxed(value);
    let why = isWellFormed(key) ? unreadable(value) : "a key with a lone surrogate, which is not Unicode";
    if (why === undefined && typeof value === "string") size += value.length;
    else if (why === undefined && typeof value === "object" && value !== null) {
      const depth = (seen.get(this)?.[2] ?? 0) + 1;
      if (depth > MAX_DEPTH) problem = rootIssue("too_deep", `the object nests deeper than ${MAX_DEPTH} levels`);
      else seen.set(value, [this, key, depth]);
    }
    if (size > MAX_INPUT_BYTES) problem = tooLarge(`over ${MAX_INPUT_BYTES} bytes as JSON`);
    if (why !== undefined) problem = issueAt(pathTo(this, key), "invalid_input", `the object holds ${why}`);
    if (problem !== undefined) throw problem;
    return value;
  }
  let text;
  try {
    text = JSON.stringify(input, replacer);
  } catch (cause) {
    if (problem !== undefined && cause === problem) throw problem;
    // The caller's stack at its end (the object is at most MAX_DEPTH deep here): not the
    // input's fault (#unexpected says so).
    if (isStackError(cause) && /call stack|recursion/.test(cause.message)) throw cause;
    // JSON.stringify's own RangeError: a string too long to build (an array that claims
    // billions of items).
    if (cause instanceof RangeError) throw rootIssue("too_large", "the object is too large to read as JSON", cause);
    const cycle = cause instanceof TypeError && /circular|cyclic/i.test(cause.message);
    const message = cycle ? "the object refers to itself (a cycle)" : "the object could not be read as JSON: a getter, toJSON or Proxy trap threw";
    throw rootIssue("invalid_input", message, cause);
  }
  if (typeof text !== "string") throw rootIssue("invalid_input", "the object's toJSON gave nothing to read as JSON");
  return text;
}

// The quick reading of an object (parseSession of what res.json() or a body parser gave):
// when the object is plain data where the session's schema puts each value, with no other
// key, the session is built from its own strings (js/tape.generated.js, quickSession, from
// src/schema.rs), and the module checks only those strings, each against its rule
// (values_pass). Anything else (an issue, an unknown field, a URL that would be trimmed, a
// getter that throws, a class instance, toJSON, a value JSON cannot hold) gives NOT_QUICK,
// and the object is read as text, which says what is wrong: so the verdict, the issues and
// the session are the text form's (tests/js/parse.test.mjs holds the two forms together).
// Each property is read once here, and once more only when the object is then read as text.
// The strings a quick reading stops at: more than a session holds many times over.
const QUICK_MAX_UNITS = MAX_INPUT_BYTES >>> 4;

// What the quick readers ask: whether a value is a plain object or array JSON.stringify
// would read as it is (no toJSON), and each string, kept with its rule for the module.
class QuickRead {
  strings = []; // [rule, text, rule, text, ...]
  units = 0;
  nested = undefined; // a tokenize block found inside order

  // Whether `value` is a plain object JSON.stringify reads as it is (no toJSON).
  plain(value) {
    if (typeof value !== "object" || value === null) return false;
    const proto = Object.getPrototypeOf(value);
    return (proto === Object.prototype || proto === null) && typeof value.toJSON !== "function";
  }

  list(value) {
    return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype && typeof value.toJSON !== "function";
  }

  text(value, rule) {
    if (typeof value !== "string" || !isWellFormed(value)) return NOT_QUICK;
    this.units += value.length;
    if (this.units > QUICK_MAX_UNITS) return NOT_QUICK;
    this.strings.push(rule, value);
    return value;
  }
}

function writeU32(bytes, at, value) {
  bytes[at] = value;
  bytes[at + 1] = value >>> 8;
  bytes[at + 2] = value >>> 16;
  bytes[at + 3] = value >>> 24;
}

// The session `input` holds and the strings to check, or NOT_QUICK.
function quickRead(input) {
  const read = new QuickRead();
  let session;
  try {
    session = quickSession(read, input);
  } catch {
    return NOT_QUICK; // (a getter or trap that throws: the reading as text says so)
  }
  if (session === NOT_QUICK) return NOT_QUICK;
  if (read.nested !== undefined) {
    if (session.tokenize !== undefined) return NOT_QUICK; // (both: the scan warns of it)
    session.tokenize = read.nested;
  }
  return { session, strings: read.strings, nested: read.nested !== undefined };
}

// Every session an API returned carries a private field (see safeUrl): stamped on the plain
// object by a constructor that returns it, invisible to keys, JSON, inspection and Proxies,
// and never on a copy. A WeakSet did the same job at 0.4 µs per session (its entries cost the
// garbage collector too), 8% of a parse; the stamp costs nothing measurable. One class per
// API: a session of another API is not this one's.
function sessionStamp() {
  class Stamp {
    constructor(object) {
      return object;
    }
  }
  return class Produced extends Stamp {
    #produced;
    static mark(session) {
      new Produced(session);
    }
    static has(value) {
      return typeof value === "object" && value !== null && #produced in value;
    }
  };
}

const NOT_READ = Symbol("not read");

// The session's URL: a string, undefined when absent, or NOT_READ when it is neither (a
// session changed since it was made: parsed again, it says what is wrong).
function urlOf(session, approval) {
  try {
    const url = approval ? session.tokenize?.approval_url : session.order?.checkout_url;
    return url === undefined || typeof url === "string" ? url : NOT_READ;
  } catch {
    return NOT_READ;
  }
}

function findLink(links, rel, method = "GET") {
  if (typeof rel !== "string" || rel === "") throw invalidArgument("findLink: rel must be a non-empty string");
  const wanted = typeof method === "string" ? method.toUpperCase() : method;
  if (!METHODS.includes(wanted)) throw invalidArgument(`findLink: method must be one of ${METHODS.join(", ")}`);
  try {
    if (!Array.isArray(links)) throw invalidArgument(`findLink: links must be an array, got ${describe(links)}`);
    return links.find((link) => link !== null && typeof link === "object" && link.rel === rel && link.method === wanted);
  } catch (cause) {
    if (cause instanceof SezzleError) throw cause;
    throw new SezzleError("invalid_argument", "findLink: links could not be read (a getter or Proxy trap threw)", { cause });
  }
}

// What the parse of a payload the module judged invalid gives: its error.
class Invalid {
  constructor(error) {
    this.error = error;
  }
}

// Stateless between calls (encodeInto and decode without `stream`), so shared.
const encoder = new TextEncoder();
const decoder = new TextDecoder();
// The module's answers are read whole: a key that starts with U+FEFF starts an answer's text
// too, and must not be taken for a byte order mark.
const answerDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

// The parser over instances of the parser module: the input is written straight into the
// module's memory and the module scans it (src/fast/): for a valid session it leaves a tape
// of where each value is, for an invalid one every issue. What is not an entry point is
// private (#): a minifier renames it.
class ParserApi {
  #wasm;
  #memory;
  #bytes;
  #words;
  #inputAt = 0; // where the last input was written
  #verdict = 1; // the last valid verdict (src/wasm.rs, verdict_input): what #warnings() reads
  #warning; // the tokenize-in-order warning, read once
  #host;
  #stamp;

  constructor(createGlue, module) {
    this.#stamp = sessionStamp();
    this.#host = new Host(createGlue, module, (made) => this.#made(made), ["parser", "verdict_input"]);
  }

  get host() {
    return this.#host;
  }

  // A new instance (js/host.js makes one, and another after a failure).
  // (Every call first, then the assignments, which need no stack: cut short by the stack's
  // end, it changes nothing, and js/host.js keeps the failed generation current.)
  #made({ wasm, memory }) {
    const bytes = new Uint8Array(memory.buffer);
    const words = new Int32Array(memory.buffer);
    this.#wasm = wasm;
    this.#memory = memory;
    this.#bytes = bytes;
    this.#words = words;
  }

  // The module's memory as bytes, and as i32 words, each made again when the memory has grown
  // since: growing detaches the buffer they view, and a view of a detached buffer has length
  // 0. (Asked of the views, not of memory.buffer, a getter that costs a call into the engine.)
  #currentBytes() {
    if (this.#bytes.length === 0) this.#bytes = new Uint8Array(this.#memory.buffer);
    return this.#bytes;
  }
  #currentWords() {
    if (this.#words.length === 0) this.#words = new Int32Array(this.#memory.buffer);
    return this.#words;
  }

  // The module's memory as bytes at `ptr` (read after input_buffer, which may grow it).
  #bytesAt(ptr, length) {
    return this.#currentBytes().subarray(ptr, ptr + length);
  }

  // A text answer of the module: each such call returns its length, and the module keeps
  // the text at answer_address until its next answer (src/wasm.rs says why).
  #answerText(length) {
    return answerDecoder.decode(this.#bytesAt(this.#wasm.answer_address(), length));
  }

  // The last verdict's issues or warnings.
  #remarks() {
    const text = this.#answerText(this.#wasm.verdict_remarks());
    return readIssues(this.#currentWords(), this.#wasm.remark_words_address() >>> 2, text);
  }

  // The module's warning for a tokenize block before the order, a copy for each caller.
  #tokenizeWarning() {
    this.#warning ??= JSON.parse(this.#answerText(this.#wasm.tokenize_in_order_warning()));
    return { ...this.#warning, path: [...this.#warning.path] };
  }

  // Room for `room` bytes of input; where it is.
  #room(room) {
    this.#inputAt = this.#wasm.input_buffer(room);
    if (this.#inputAt === 0) throw tooLarge(`${room} bytes, more than the module can hold`);
    return this.#inputAt;
  }

  // Room for `room` bytes of input, as bytes.
  #inputBuffer(room) {
    return this.#bytesAt(this.#room(room), room);
  }

  // Bytes copied in; their length.
  #load(bytes) {
    const length = typedArrayByteLength.call(bytes); // a `length` property may lie
    if (length > MAX_INPUT_BYTES) throw tooLarge(`${length} bytes`);
    const at = this.#room(length);
    if (length > 0) this.#currentBytes().set(bytes, at); // (a detached buffer has none, and refuses set)
    return length;
  }

  // A text written in as UTF-8; its length in bytes. Room for one byte per UTF-16 unit first,
  // and a little more: most payloads are ASCII, and the module zeroes the room it gives
  // (src/wasm.rs, input_buffer), so room for three times the text cost the seed's parse ~5%.
  // A text that does not fit is written again into room for three bytes a unit, the most
  // UTF-8 needs.
  #loadText(text) {
    if (text.length > MAX_INPUT_BYTES) throw tooLarge(`${text.length} characters`);
    const { read, written } = encoder.encodeInto(text, this.#inputBuffer(text.length + 64));
    if (read === text.length) return written;
    return encoder.encodeInto(text, this.#inputBuffer(text.length * 3)).written;
  }

  // The session and its warnings, or `{ error }` with the payload's issues; throws a
  // SezzleError for input that cannot be read. `own` when the package owns the input (a body
  // it fetched), so the session holds none of it. (Objects without a prototype: an `error`
  // planted on Object.prototype by code that ran first is not taken for theirs.)
  parsed(input, own = false) {
    try {
      this.#host.renewIfStale();
      const session = this.#parseInput(input, own);
      if (session instanceof Invalid) return { __proto__: null, error: session.error };
      return { __proto__: null, session, warnings: this.#warnings() };
    } catch (error) {
      throw this.#failure(error);
    }
  }

  // The session alone, or the SezzleError thrown: parseSession gives no warnings, and makes
  // none.
  #session(input) {
    let session;
    try {
      this.#host.renewIfStale();
      session = this.#parseInput(input, false);
    } catch (error) {
      throw this.#failure(error);
    }
    if (session instanceof Invalid) throw session.error;
    return session;
  }

  // The last valid verdict's warnings (read before the module is asked anything else).
  #warnings() {
    if (this.#verdict === 1) return [];
    if (this.#verdict === 3) return this.#remarks().issues;
    return [this.#tokenizeWarning()];
  }

  // What a call that could not be judged throws.
  #failure(error) {
    return error instanceof SezzleError ? error : this.#unexpected(error);
  }

  // A failure that is not the input's verdict. Rust code does not panic on input (the fuzz
  // target and the storm test hold it to that), but if the module ever traps, or the JS
  // stack runs out inside it, its state may be broken: its generation is retired and the
  // next call gets a new one (until one is made, each call tries again).
  #unexpected(error) {
    if (isFailure(error)) {
      // The stack's end in the package's own JS, with no call into the module cut short (the
      // glue's mark is clear): the stack ran out there; the instance is whole, and the caller
      // is told of the stack, not of the module or of the input.
      if (!this.#host.gen.calling() && isStackError(error)) return STACK_OUT;
      this.#host.fail(this.#host.gen, error);
      return new SezzleError("internal", "the WebAssembly module failed on this input; later calls use a fresh instance", { cause: error });
    }
    return rootIssue("invalid_input", "the input could not be read (a getter or Proxy trap threw)", error);
  }

  // The session of an object read the quick way (quickRead), its strings checked by the
  // module; undefined when the object must be read as text.
  #quickObject(input) {
    const quick = quickRead(input);
    if (quick === NOT_QUICK) return undefined;
    const { session, strings } = quick;
    let joined = "";
    for (let i = 1; i < strings.length; i += 2) joined += strings[i];
    // As values_pass reads them (src/wasm.rs): a pair of u32 for each string, its rule and its
    // length, then the strings. Only printable ASCII passes, one byte a character: a string
    // of any other is left to the text, and so is one that does not fit.
    const head = strings.length * 4;
    const bytes = this.#inputBuffer(head + joined.length);
    for (let i = 0, at = 0; i < strings.length; i += 2, at += 8) {
      writeU32(bytes, at, strings[i]);
      writeU32(bytes, at + 4, strings[i + 1].length);
    }
    const { read, written } = encoder.encodeInto(joined, bytes.subarray(head));
    if (read !== joined.length || this.#wasm.values_pass(strings.length >>> 1, written) !== 1) return undefined;
    this.#stamp.mark(session);
    this.#verdict = quick.nested ? 2 : 1;
    return session;
  }
  // The session (its warnings are #warnings()), or an Invalid with the payload's issues.
  #parseInput(input, own) {
    let text;
    let length;
    if (typeof input === "string") {
      length = this.#loadText(input);
      text = input;
    } else if (isBytes(input)) {
      length = this.#load(input);
    } else {
      const quick = this.#quickObject(input);
      if (quick !== undefined) return quick;
      text = objectText(input);
      length = this.#loadText(text);
    }
    const answer = this.#wasm.verdict_input(length);
    // encodeInto writes a lone surrogate as U+FFFD: only a text in which the module saw that
    // character is looked at for one (a lone surrogate is refused, never replaced).
    if (answer & 4 && text !== undefined && !isWellFormed(text)) throw loneSurrogateInText(text);
    const verdict = answer & 3;
    // (An invalid verdict is returned, not thrown: a throw and its catch cost as much as the
    // rest of safeParseSession's work.)
    if (verdict === 0) {
      const { message, issues } = this.#remarks();
      return new Invalid(invalidSession(message, { issues }));
    }
    // The tape counts from after a byte order mark; TextDecoder drops one as the module does.
    // Bytes are decoded from the module's copy: what was judged is what is read.
    if (text === undefined) text = decoder.decode(this.#bytesAt(this.#inputAt, length));
    else if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // A reader bug would throw here and surface as an `internal` error, never hidden (the
    // tests and the fuzz target hold the tape to the full parse).
    const session = readTape(text, this.#currentWords(), this.#wasm.tape_address() >>> 2, own);
    this.#stamp.mark(session);
    this.#verdict = verdict;
    return session;
  }

  parseSession(input) {
    return this.#session(input);
  }

  safeParseSession(input) {
    returningErrors += 1;
    try {
      const { session, warnings, error } = this.parsed(input);
      if (error !== undefined) return { success: false, error: withIssues(error) };
      return { success: true, data: session, warnings };
    } catch (error) {
      // parsed() answers only SezzleErrors; anything else would be a bug, still not thrown.
      if (error instanceof SezzleError) return { success: false, error: withIssues(error) };
      return { success: false, error: rootIssue("invalid_input", "the input could not be read", error) };
    } finally {
      returningErrors -= 1;
    }
  }

  // The URL of a session validated as parseSession does, then the host rule on it alone. A
  // session this package returned was validated when it was made: only its URL is read
  // again, and checked whole by the module (the URL rule and the hosts), so a session
  // changed since cannot slip another URL through. Anything else is parsed first.
  safeUrl(approval, name, input, options) {
    this.#host.renewIfStale();
    const hosts = hostsOption(options, name);
    let url = this.#stamp.has(input) ? urlOf(input, approval) : NOT_READ;
    if (url === NOT_READ) url = urlOf(this.#session(input), approval);
    if (url === undefined) return undefined;
    // The URL and the hosts (one a line), written into the input buffer (src/wasm.rs, safe_url).
    const buffer = this.#inputBuffer(url.length * 3 + (hosts?.length ?? 0) * 3);
    const urlLength = encoder.encodeInto(url, buffer).written;
    const hostsLength = hosts === undefined ? -1 : encoder.encodeInto(hosts, buffer.subarray(urlLength)).written;
    const length = this.#wasm.safe_url(urlLength, approval, hostsLength);
    if (length >= 0) return this.#answerText(length);
    const { message, issues } = this.#remarks();
    throw invalidSession(message, { issues });
  }
}

// The parser's API over instances of the parser module (`createGlue` its glue factory,
// `module` the compiled WebAssembly.Module; js/host.js keeps its generations). Returns the
// exports, and `parsed`, which the client (js/client.js) reads fetched bodies with.
export function createParserApi(createGlue, module) {
  const parser = new ParserApi(createGlue, module);
  const exported = {
    parseSession: guarded((input) => parser.parseSession(input)),
    // Never throws: at the stack's very end, STACK_OUT is its failure.
    safeParseSession(input) {
      try {
        return parser.safeParseSession(input);
      } catch (error) {
        return { success: false, error: guardedError(error) };
      }
    },
    checkoutUrl: guarded((input, options) => parser.safeUrl(false, "checkoutUrl", input, options)),
    approvalUrl: guarded((input, options) => parser.safeUrl(true, "approvalUrl", input, options)),
    findLink: guarded(findLink),
  };
  // For the package's own tests: the current instance's functions (which they spy on), its
  // memory and its generation's number. Frozen, as the functions are: code that reads this
  // handle cannot change what the API calls.
  Object.defineProperty(exported.parseSession, Symbol.for("sezzle-session.internals"), { value: parser.host.internals() });
  return { exported, parsed: (input, own) => parser.parsed(input, own) };
}

// safeParseSession's failure always carries issues: an error without any (an internal one,
// after a trap) keeps its kind and gets one at the root saying what it says.
function withIssues(error) {
  if (!Array.isArray(error.issues) || error.issues.length === 0) {
    error.issues = [{ path: [], code: "invalid_input", message: error.message }];
  }
  return error;
}

/**
 * The session validator as a Standard Schema v1 (https://standardschema.dev), as zod, valibot
 * and arktype expose theirs: tRPC, form libraries and other validators' adapters take it.
 * `safeParse` is called when it validates, so an entry can hand in a function that is bound
 * later (web/slim.js).
 */
// What validate answers where the stack runs out before it can make its answer (made in
// advance: returning it needs no stack).
const STACK_RESULT = /* @__PURE__ */ Object.freeze({ issues: /* @__PURE__ */ Object.freeze([/* @__PURE__ */ Object.freeze({ message: STACK_OUT.message, path: /* @__PURE__ */ Object.freeze([]) })]) });

export function standardSchema(safeParse) {
  const standard = {
    version: 1,
    vendor: "sezzle-session",
    validate(value) {
      try {
        const result = safeParse(value);
        if (result.success) return { value: result.data };
        return { issues: result.error.issues.map(({ message, path }) => ({ message, path: [...path] })) };
      } catch {
        return STACK_RESULT; // (safeParse never throws: only the stack's end gets here)
      }
    },
  };
  return Object.freeze({ "~standard": Object.freeze(standard) });
}

