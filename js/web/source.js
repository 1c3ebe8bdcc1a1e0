// Where the slim entry's modules come from: a URL (string or URL), a Request, a Response (or a
// promise of one), bytes or a compiled WebAssembly.Module. Shared by js/web/slim-parser.js
// (the parser module) and js/web/client-file.js, the slim entry's client chunk.
import { SezzleError } from "../errors.js";

export const isBytes = (value) => value instanceof ArrayBuffer || ArrayBuffer.isView(value);
export const isModule = (value) => typeof WebAssembly === "object" && value instanceof WebAssembly.Module;
const isResponse = (value) => typeof Response === "function" && value instanceof Response;
const isRequest = (value) => typeof Request === "function" && value instanceof Request;

/**
 * The module `source` names, compiled; when it is undefined, the one at the URL `beside()`
 * answers (asked only then: a runtime with no URL of the chunk's own, workerd's
 * import.meta.url, still takes a module given to it).
 */
export async function compiledFrom(source, beside) {
  return compiled(await resolved(source, beside));
}

/** The module compiled from a Response, bytes or a Module. */
async function compiled(source) {
  if (isModule(source)) return source;
  let bytes = source;
  if (isResponse(source)) {
    try {
      bytes = await source.arrayBuffer();
    } catch (error) {
      throw new SezzleError("network", `init: the module's body could not be read: ${error?.message ?? error}`, { cause: error });
    }
  }
  return WebAssembly.compile(bytes);
}

/** What `source` gives to compile: a Response, bytes or a Module. */
async function resolved(source, beside) {
  // (Where the files have no URL, workerd's, this throws: the module must be given there.)
  if (source === undefined) source = beside();
  if (typeof source === "string" || source instanceof URL || isRequest(source)) {
    const where = isRequest(source) ? source.url : String(source);
    try {
      source = await fetch(source);
    } catch (error) {
      // Node's fetch reads no file: URL, which is where the module is beside web/slim.js when
      // nothing bundled it: say what works there.
      const file = where.startsWith("file:")
        ? '; fetch reads no file: URL: pass the module\'s bytes, initSync(readFileSync(path)) or init({ parser: bytes }), or import "sezzle-session", which needs no init'
        : "";
      throw new SezzleError("network", `init: ${where} could not be fetched: ${error?.message ?? error}${file}`, { cause: error });
    }
  } else if (source !== null && typeof source === "object" && typeof source.then === "function") {
    try {
      source = await source;
    } catch (error) {
      throw new SezzleError("invalid_argument", "init(source): the promise given as source rejected", { cause: error });
    }
  }
  if (isResponse(source) && !source.ok) {
    throw new SezzleError("http", `init: the module's URL answered ${source.status}`, { status: source.status });
  }
  // A dev server's fallback page where the .wasm should be (Vite 5 to 7 pre-bundle this file
  // away from it): said in words, with the form that works, not as a bad magic number.
  if (isResponse(source) && /^text\/html/i.test(source.headers.get("content-type") ?? "")) {
    throw new SezzleError(
      "invalid_argument",
      `init: ${source.url || "the module's URL"} answered an HTML page, not the WebAssembly module; pass the module's URL ` +
        '(with Vite: import wasmUrl from "sezzle-session/sezzle_session_bg.wasm?url"; await init(wasmUrl))',
    );
  }
  if (!isResponse(source) && !isBytes(source) && !isModule(source)) {
    throw new SezzleError("invalid_argument", "init(source): source must be a URL, a Request, a Response, the module's bytes or a WebAssembly.Module");
  }
  return source;
}
