// One attempt of a request, from calling fetch to the last byte of the body, in JavaScript:
// the client's one piece of JS (src/client/js.rs imports it; wasm-bindgen ships it as a
// snippet beside the glue). Read from Rust, every step cost crossings into the module and
// back: a body chunk about 47 µs in Node where a plain JS reader takes 1 to 7 µs (`make
// bench`, "a body chunk"), and the status and headers some twenty crossings. Here an attempt
// costs one crossing in and one out; Rust still decides what every answer means.
//
// Everything fetch gives is untrusted: each property is read inside a try (a getter that
// throws, a Proxy), every read of the body is awaited inside it, every chunk's size is read
// through the typed array's own getters (an own `byteLength` may lie), and each chunk is
// copied as it comes, so a chunk the stream changes or detaches later changes nothing read.
// The attempt's end is here too (a timer and the caller's signals raced against it), and the
// waits between attempts and for a shared authentication: in Rust each cost an
// AbortController, a promise, a race and a closure per signal through the module's glue.
// `attempt` and `wait` never throw and never reject: each resolves an array whose first
// number says what it holds (the ATTEMPT_* and BODY_* numbers in src/client/js.rs).

// What an attempt gave: [ANSWER, status, content-type, content-length, retry-after,
// body kind, body value, and for a status other than 2xx Sezzle's errors in the body
// (apiErrors)], [REDIRECT, status, host], [UNREADABLE, why],
// [UNREADABLE_THREW, thrown], [NETWORK, cause]; or what ended it first, its time
// [TIMEOUT] or a caller's signal [ABORTED, reason]. A wait gives [SETTLED] when what it
// waited for did, [REJECTED, thrown] when that rejected, or TIMEOUT or ABORTED.
const ANSWER = 0;
const REDIRECT = 1;
const UNREADABLE = 2;
const UNREADABLE_THREW = 3;
const NETWORK = 4;
const TIMEOUT = 5;
export const ABORTED = 6;
const SETTLED = 7;
const REJECTED = 8;

// What a body was: its bytes (a Uint8Array), too large (the size, in words), what reading
// it threw, why it failed (words), or why it cannot be read at all (words).
const BYTES = 0;
const TOO_LARGE = 1;
const THREW = 2;
const FAILED = 3;
const NO_BODY = 4;

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const typedBuffer = Object.getOwnPropertyDescriptor(TypedArrayPrototype, "buffer").get;
const typedOffset = Object.getOwnPropertyDescriptor(TypedArrayPrototype, "byteOffset").get;
const typedLength = Object.getOwnPropertyDescriptor(TypedArrayPrototype, "byteLength").get;
const viewBuffer = Object.getOwnPropertyDescriptor(DataView.prototype, "buffer").get;
const viewOffset = Object.getOwnPropertyDescriptor(DataView.prototype, "byteOffset").get;
const viewLength = Object.getOwnPropertyDescriptor(DataView.prototype, "byteLength").get;

// A chunk's bytes, as a Uint8Array over the same memory, or undefined when it is no view.
function bytesOf(chunk) {
  if (!ArrayBuffer.isView(chunk)) return undefined;
  if (chunk instanceof DataView) return new Uint8Array(viewBuffer.call(chunk), viewOffset.call(chunk), viewLength.call(chunk));
  return new Uint8Array(typedBuffer.call(chunk), typedOffset.call(chunk), typedLength.call(chunk));
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function cancel(reader) {
  try {
    Promise.resolve(reader.cancel()).catch(() => {});
  } catch {}
}

// A stream can answer every read at once, forever: each read settles as a microtask, and
// the timer and the caller's signal (tasks) would never run. So the reader waits one task
// whenever this many milliseconds have passed since it last did.
const YIELD_MS = 8;
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Reads `reader` (a ReadableStreamDefaultReader) to its end, at most `max` bytes; stops,
 * cancelling it, when `signal` has aborted or the body is over `max`. (Aborting `signal`,
 * the one the fetch was given, errors a fetch's body stream at once; a stream of another
 * fetch's that ignores it is cancelled at its next chunk, and the attempt has ended anyway.)
 */
async function readStream(reader, max, signal) {
  // Sized by what comes: most bodies are one chunk of a few KB, kept as the copy made of it.
  let buffer;
  let size = 0;
  let since = Date.now();
  try {
    for (;;) {
      if (signal.aborted) {
        cancel(reader);
        return [FAILED, "the attempt ended"];
      }
      if (Date.now() - since >= YIELD_MS) {
        await nextTask();
        since = Date.now();
        continue;
      }
      const result = await reader.read();
      if (result === null || typeof result !== "object") {
        cancel(reader);
        return [FAILED, `the body stream's read gave ${describe(result)}, not a result`];
      }
      if (result.done === true) {
        if (buffer === undefined) return [BYTES, new Uint8Array(0)];
        return [BYTES, size === buffer.length ? buffer : buffer.slice(0, size)];
      }
      const value = result.value;
      const bytes = bytesOf(value);
      if (bytes === undefined) {
        cancel(reader);
        return [FAILED, `the body stream gave ${describe(value)}, not bytes`];
      }
      if (size + bytes.length > max) {
        cancel(reader);
        return [TOO_LARGE, `over ${max}`];
      }
      if (buffer === undefined) {
        buffer = bytes.slice();
        size = bytes.length;
        continue;
      }
      if (size + bytes.length > buffer.length) {
        const grown = new Uint8Array(Math.min(max, Math.max(buffer.length * 2, size + bytes.length, 1024)));
        grown.set(buffer.subarray(0, size));
        buffer = grown;
      }
      buffer.set(bytes, size);
      size += bytes.length;
    }
  } catch (error) {
    cancel(reader);
    return [THREW, error];
  }
}

// A body: always through its stream when it has one (a content-length counts the bytes on the
// wire, and fetch decompresses: a 200 KB gzip body can be 200 MB), else with arrayBuffer()
// when content-length promises at most `max` (a Response-like of a polyfill or a test).
// (Not async: it hands back readStream's promise, or an array, for `send` to await once; an
// async function returning a promise costs its caller two more turns of the microtask queue.)
function readBody(response, length, max, signal) {
  if (length !== undefined && length > max) {
    cancelBody(response);
    return [TOO_LARGE, String(length)];
  }
  let body;
  try {
    body = response.body;
  } catch (error) {
    return [THREW, error];
  }
  // A null body is an empty one (a 204, or a Response made without one).
  if (body === null) return [BYTES, new Uint8Array(0)];
  let reader;
  try {
    reader = body.getReader();
  } catch {}
  if (reader !== null && typeof reader === "object") return readStream(reader, max, signal);
  if (length === undefined) return [NO_BODY, "it has no body stream, and no content-length of at most 1 MiB to read it whole by"];
  return readWhole(response, max);
}

async function readWhole(response, max) {
  let buffer;
  try {
    buffer = await response.arrayBuffer();
  } catch (error) {
    return [THREW, error];
  }
  if (!(buffer instanceof ArrayBuffer)) return [NO_BODY, `its arrayBuffer() gave ${describe(buffer)}`];
  if (buffer.byteLength > max) return [TOO_LARGE, String(buffer.byteLength)];
  return [BYTES, new Uint8Array(buffer)];
}

function cancelBody(response) {
  try {
    const body = response.body;
    if (body !== null && typeof body === "object") Promise.resolve(body.cancel()).catch(() => {});
  } catch {}
}

// Sezzle's error objects in a failed answer's body (an array of them, or one object), each
// [code, location, message, debug_uuid], a string or undefined; undefined when the body is
// anything else: an HTML page from a proxy, empty, not UTF-8, JSON of another shape, or an
// array with anything but such objects in it (an object needs a code or a message). Read
// with the platform's JSON.parse, which the client module then need not carry a JSON reader
// for (6 KB gzip of the getSession module); what they mean is the module's
// (rules::http_failure), as is every message made of them.
const errorText = new TextDecoder("utf-8", { fatal: true });
const ERROR_KEYS = ["code", "location", "message", "debug_uuid"];
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// A key or string with a lone surrogate (an escape such as "\ud800" alone) is no Unicode
// text: the whole body is refused, as the module's JSON reader refuses one.
function unicodeOnly(key, value) {
  if (LONE_SURROGATE.test(key) || (typeof value === "string" && LONE_SURROGATE.test(value))) throw new SyntaxError("a lone surrogate");
  return value;
}
export function apiErrors(bytes) {
  let value;
  try {
    value = JSON.parse(errorText.decode(bytes), unicodeOnly);
  } catch {
    return undefined;
  }
  const items = Array.isArray(value) ? value : [value];
  const errors = [];
  for (const item of items) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return undefined;
    // (Own members only: JSON.parse makes plain objects, and a prototype a page changed
    // adds nothing.)
    const error = ERROR_KEYS.map((key) => (Object.hasOwn(item, key) && typeof item[key] === "string" ? item[key] : undefined));
    if (error[0] === undefined && error[2] === undefined) return undefined;
    errors.push(error);
  }
  return errors.length > 0 ? errors : undefined;
}

/**
 * What a caller's hook returned, settled into a promise whose rejection is dropped: no
 * unhandled rejection, and nothing thrown (a Proxy whose traps throw, a `then` getter that
 * throws: Promise.resolve reads both).
 */
export function ignoreRejection(value) {
  try {
    Promise.resolve(value).catch(() => {});
  } catch {}
}

// The host `location` points at, resolved against the request's URL as fetch would.
function hostOf(location, base) {
  if (typeof location !== "string") return undefined;
  try {
    return new URL(location, base).host || undefined;
  } catch {
    return undefined;
  }
}

// A content-length of digits only (at most 15 of them), as a number.
function lengthOf(text) {
  return typeof text === "string" && /^[0-9]{1,15}$/.test(text) ? Number(text) : undefined;
}

/**
 * One attempt: `fetch(url, init)` with `signal` added to `init` (a plain object the client
 * made once for every attempt of a request), then the status, the headers the client reads,
 * and the body, at most `max` bytes.
 */
async function send(fetch, url, init, signal, max) {
  let response;
  try {
    response = await fetch(url, { ...init, headers: { ...init.headers }, signal });
  } catch (error) {
    return [NETWORK, error];
  }
  if (response === null || typeof response !== "object") return [UNREADABLE, `it resolved to ${describe(response)}, not a Response`];
  let status;
  const head = {};
  try {
    const type = response.type;
    // A browser's answer to `redirect: "manual"`: status 0, no headers, no body.
    if (type === "opaqueredirect") return [REDIRECT, 0, undefined];
    // A fetch that followed a redirect although told not to: where it ended is not the gateway.
    if (response.redirected === true) {
      const to = response.url;
      cancelBody(response);
      return [REDIRECT, 0, hostOf(to, url)];
    }
    if (type === "error") return [NETWORK, "the fetch answered a network error (Response.error())"];
    status = response.status;
    // Only a number is quoted: a string could be anything, a secret included.
    if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
      return [UNREADABLE, `its status is ${typeof status === "number" ? String(status) : `a ${describe(status)}, not a number`}`];
    }
    const headers = response.headers;
    for (const name of ["content-type", "content-length", "retry-after", "location"]) {
      const value = headers.get(name);
      head[name] = typeof value === "string" ? value : undefined;
    }
  } catch (error) {
    return [UNREADABLE_THREW, error];
  }
  if (status >= 300 && status < 400) {
    cancelBody(response);
    return [REDIRECT, status, hostOf(head.location, url)];
  }
  const [kind, value] = await readBody(response, lengthOf(head["content-length"]), max, signal);
  const errors = kind === BYTES && (status < 200 || status >= 300) && value.length > 0 ? apiErrors(value) : undefined;
  return [ANSWER, status, head["content-type"], head["content-length"], head["retry-after"], kind, value, errors];
}

// A signal's `aborted` and `reason`, read without trusting it (a getter that throws).
function isAborted(signal) {
  try {
    return signal.aborted === true;
  } catch {
    return false;
  }
}

function reasonOf(signal) {
  try {
    return signal.reason;
  } catch {
    return undefined;
  }
}

// The end of an attempt or a wait: a timer (none when `timeout` is undefined) and the
// caller's signals, any of which aborts its own AbortController (never the caller's) and
// settles what is raced against it at once, even a fetch that ignores its signal. Each
// signal is listened to itself (AbortSignal.any hears only native signals).
class Stopper {
  constructor(timeout, signals) {
    this.controller = new AbortController();
    this.stop = undefined;
    this.stopped = new Promise((resolve) => {
      this.wake = resolve;
    });
    this.listening = [];
    this.timer = timeout === undefined ? undefined : setTimeout(() => this.fire([TIMEOUT]), timeout);
    for (const signal of signals) {
      if (isAborted(signal)) {
        this.fire([ABORTED, reasonOf(signal)]);
        continue;
      }
      const onAbort = () => this.fire([ABORTED, reasonOf(signal)]);
      // A signal whose addEventListener throws is one that will not be heard.
      try {
        signal.addEventListener("abort", onAbort, { once: true });
        this.listening.push([signal, onAbort]);
      } catch {}
    }
  }

  fire(stop) {
    if (this.stop !== undefined) return;
    this.stop = stop;
    this.wake(stop);
    this.controller.abort();
  }

  end() {
    clearTimeout(this.timer);
    for (const [signal, onAbort] of this.listening) {
      try {
        signal.removeEventListener("abort", onAbort);
      } catch {}
    }
  }
}

/**
 * One attempt of a request, ended after `timeout` ms or by any of `signals`: what `send`
 * resolves, or [TIMEOUT], or [ABORTED, reason].
 */
export async function attempt(fetch, url, init, signals, timeout, max) {
  const stopper = new Stopper(timeout, signals);
  try {
    if (stopper.stop !== undefined) return stopper.stop;
    // What send resolves to, or what stopped the attempt first (also when it stopped just after).
    const first = await Promise.race([send(fetch, url, init, stopper.controller.signal, max), stopper.stopped]);
    return stopper.stop ?? first;
  } finally {
    stopper.end();
  }
}

/**
 * Waits for `promise` (for the time alone when it is undefined), at most `timeout` ms,
 * until any of `signals` fires: [SETTLED], [REJECTED, thrown], [TIMEOUT] or [ABORTED, reason].
 */
export async function wait(promise, timeout, signals) {
  const stopper = new Stopper(timeout, signals);
  try {
    if (stopper.stop !== undefined) return stopper.stop;
    if (promise === undefined) return await stopper.stopped;
    const first = await Promise.race([Promise.resolve(promise).then(() => [SETTLED], (error) => [REJECTED, error]), stopper.stopped]);
    return stopper.stop ?? first;
  } finally {
    stopper.end();
  }
}

/**
 * The `init` of fetch(url, init) that sends what `request` (a Request the client built with
 * gloo-net) holds, made once for every attempt: its method and headers (a plain object, as
 * 0.1.0 called a caller's fetch), `body`, redirects not followed, no credentials, no cache.
 */
export function initOf(request, body) {
  const headers = {};
  for (const [name, value] of request.headers) headers[name] = value;
  return { method: request.method, headers, body, redirect: "manual", credentials: "omit", cache: "no-store" };
}
