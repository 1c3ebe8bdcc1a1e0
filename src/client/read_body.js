// A response body read whole, in JavaScript: the client's one piece of JS (src/client/js.rs
// imports it). Read from Rust, every chunk cost a dozen crossings into the module and back,
// about 47 µs in Node where a plain JS reader takes 1 to 7 µs (`make bench`, "Body chunks");
// here the whole body costs one crossing in and one out.
//
// Everything the stream gives is untrusted: every read is awaited inside the try, every
// chunk's size is read through the typed array's own getters (an own `byteLength` may lie),
// and each chunk is copied as it comes, so a chunk the stream changes or detaches later
// changes nothing read. Never throws, never rejects: it resolves [what, value], where
// `what` is one of the BODY_* numbers in src/client/js.rs.

const BYTES = 0; // value: a Uint8Array of the body
const TOO_LARGE = 1; // value: undefined
const THREW = 2; // value: what the stream threw or rejected with
const FAILED = 3; // value: why, in words

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
 * cancelling it, when `signal` aborts or the body is over `max`.
 */
export async function read_body(reader, max, signal) {
  let buffer = new Uint8Array(Math.min(max + 1, 64 * 1024));
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
      if (result.done === true) return [BYTES, buffer.slice(0, size)];
      const value = result.value;
      const bytes = bytesOf(value);
      if (bytes === undefined) {
        cancel(reader);
        return [FAILED, `the body stream gave ${describe(value)}, not bytes`];
      }
      if (size + bytes.length > max) {
        cancel(reader);
        return [TOO_LARGE, undefined];
      }
      if (size + bytes.length > buffer.length) {
        const grown = new Uint8Array(Math.min(max + 1, Math.max(buffer.length * 2, size + bytes.length)));
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
