// The slim entry's parser half (pkg/web/slim-parser.js): init(), initSync() and the parser's
// exports. Every parser function is a live binding: it throws a SezzleError until the module
// is in, then is the function the instance's API holds, called directly.
import { createGlue } from "sezzle-session-glue";
import { createParserApi, standardSchema, MAX_INPUT_BYTES } from "../api.js";
import { SezzleError, loadError } from "../errors.js";
import { compiledFrom, isBytes, isModule } from "./source.js";
import { notReady, slim } from "./slim-state.js";
const before = (name) => () => {
  throw notReady(name);
};

export let parseSession = before("parseSession");
export let safeParseSession = before("safeParseSession");
export let checkoutUrl = before("checkoutUrl");
export let approvalUrl = before("approvalUrl");
export let findLink = before("findLink");
export const sessionSchema = /* @__PURE__ */ standardSchema((value) => safeParseSession(value));
export { SezzleError, MAX_INPUT_BYTES };
export { CLIENT_DEFAULTS } from "../client.generated.js";

function adopt(module) {
  if (slim.parser) return;
  slim.parser = createParserApi(createGlue, module);
  ({ parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink } = slim.parser.exported);
}

/** Compiles and instantiates the parser module now, from its bytes or a compiled WebAssembly.Module. */
export function initSync(source) {
  if (slim.parser) return;
  try {
    if (!isBytes(source) && !isModule(source)) {
      throw new SezzleError("invalid_argument", "initSync(source): source must be the module's bytes (ArrayBuffer, Uint8Array) or a WebAssembly.Module");
    }
    adopt(isModule(source) ? source : new WebAssembly.Module(source));
  } catch (error) {
    throw error instanceof SezzleError ? error : loadError(error);
  }
}

// `{ parser, client, get }` (any may be left out, not all), as opposed to one source (a URL, a
// Request, a Response, a promise, bytes or a Module, none of them a plain object). An object
// whose traps or getters throw is none: it is refused as a source. Only own properties count.
const OPTIONS = ["parser", "client", "get"];

function isOptions(value) {
  try {
    if (value === null || typeof value !== "object" || typeof value.then === "function") return false;
    const proto = Object.getPrototypeOf(value);
    return (proto === Object.prototype || proto === null) && OPTIONS.some((key) => Object.hasOwn(value, key));
  } catch {
    return false;
  }
}

/**
 * Loads the parser module: from beside this file when called with nothing, or from a URL
 * (string or URL), a Request, a Response (or a promise of one), bytes or a WebAssembly.Module;
 * or, given `{ parser, client, get }`, the parser from `parser` and the client module or the
 * getSession module too, now: from beside its chunk with `client: true` (`get: true`), or
 * from the source `client` (`get`) is. A second call loads nothing already loaded.
 */
export async function init(source) {
  let client;
  let get;
  if (isOptions(source)) {
    try {
      // Own properties only: a key planted on Object.prototype must not choose a module's source.
      [source, client, get] = OPTIONS.map((key) => (Object.hasOwn(source, key) ? source[key] : undefined));
    } catch (cause) {
      throw new SezzleError("invalid_argument", "init(options): the options could not be read", { cause });
    }
  }
  if (!slim.parser) {
    // Each call fetches and compiles its own source; the instance is made synchronously, by
    // initSync, by whichever call finishes first (the others then do nothing). So a bad or
    // stuck source never holds up a good one, and no load can land after another was adopted.
    let module;
    try {
      module = await compiledFrom(source, () => new URL("sezzle_session_bg.wasm", import.meta.url));
    } catch (error) {
      // A source whose getters or traps throw is refused like one of the wrong type.
      throw error instanceof SezzleError ? error : loadError(error);
    }
    initSync(module);
  }
  // (No hook: the build holds no export of that module, so nothing could use it.)
  const loads = [];
  if (get !== undefined && get !== false) {
    slim.getSource = get === true ? undefined : get;
    if (slim.getHook !== undefined) loads.push(slim.getHook.withApi(() => undefined));
  }
  if (client !== undefined && client !== false) {
    slim.clientSource = client === true ? undefined : client;
    if (slim.clientHook !== undefined) loads.push(slim.clientHook.withApi(() => undefined));
  }
  await Promise.all(loads);
}
