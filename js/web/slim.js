// The slim entry, `sezzle-session/slim` (bundled into pkg/web/slim.js): the .wasm stays a
// file beside it, loaded when the page says so, with init() or initSync(). For pages that
// count bytes (the inlined entry's base64 costs about a third more) and hosts the package
// cannot guess (a CDN, a worker given the bytes, an extension's packaged file).
//
// Every function is a live binding: it throws a SezzleError until the module is in, then is
// the function the instance's API holds, called directly.
import { createGlue } from "sezzle-session-glue";
import { createApi, loadError, standardSchema, MAX_INPUT_BYTES, SezzleError } from "../api.js";

function notReady(name) {
  return new SezzleError("invalid_argument", `sezzle-session/slim: call init() or initSync() before ${name}`);
}
const before = (name) => () => {
  throw notReady(name);
};
const beforeAsync = (name) => () => Promise.reject(notReady(name));

export let parseSession = before("parseSession");
export let safeParseSession = before("safeParseSession");
export let checkoutUrl = before("checkoutUrl");
export let approvalUrl = before("approvalUrl");
export let findLink = before("findLink");
export let getSession = beforeAsync("getSession");
export let authenticate = beforeAsync("authenticate");
export let SezzleClient = class SezzleClient {
  constructor() {
    throw notReady("new SezzleClient");
  }
};
Object.defineProperty(SezzleClient, "name", { value: "SezzleClient" });
/** Filled in by init() or initSync(), as every function above. */
export let CLIENT_DEFAULTS;
export const sessionSchema = standardSchema((value) => safeParseSession(value));
export { SezzleError, MAX_INPUT_BYTES };

let api;
function adopt(module) {
  if (api) return;
  api = createApi(createGlue, module);
  ({ parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, getSession, authenticate, SezzleClient, CLIENT_DEFAULTS } = api);
}

const isBytes = (value) => value instanceof ArrayBuffer || ArrayBuffer.isView(value);
const isModule = (value) => typeof WebAssembly === "object" && value instanceof WebAssembly.Module;
const isResponse = (value) => typeof Response === "function" && value instanceof Response;
const isRequest = (value) => typeof Request === "function" && value instanceof Request;

/** Compiles and instantiates the module now, from its bytes or a compiled WebAssembly.Module. */
export function initSync(source) {
  if (api) return;
  try {
    if (!isBytes(source) && !isModule(source)) {
      throw new SezzleError("invalid_argument", "initSync(source): source must be the module's bytes (ArrayBuffer, Uint8Array) or a WebAssembly.Module");
    }
    adopt(isModule(source) ? source : new WebAssembly.Module(source));
  } catch (error) {
    throw error instanceof SezzleError ? error : loadError(error);
  }
}

/**
 * Loads the module: from beside this file when called with nothing, or from a URL (string or
 * URL), a Request, a Response (or a promise of one), bytes or a WebAssembly.Module. A second
 * call, or one after initSync, does nothing.
 */
export async function init(source) {
  if (api) return;
  // Each call fetches and compiles its own source; the instance is made synchronously, by
  // initSync, by whichever call finishes first (the others then do nothing). So a bad or
  // stuck source never holds up a good one, and no load can land after another was adopted.
  let module;
  try {
    module = await compiled(await resolved(source));
  } catch (error) {
    // A source whose getters or traps throw is refused like one of the wrong type.
    throw error instanceof SezzleError ? error : loadError(error);
  }
  initSync(module);
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
async function resolved(source) {
  if (source === undefined) source = new URL("sezzle_session_bg.wasm", import.meta.url);
  if (typeof source === "string" || source instanceof URL || isRequest(source)) {
    const where = isRequest(source) ? source.url : String(source);
    try {
      source = await fetch(source);
    } catch (error) {
      throw new SezzleError("network", `init: ${where} could not be fetched: ${error?.message ?? error}`, { cause: error });
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
