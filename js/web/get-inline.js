// getSession's chunk for web/index.js (a dynamic import() of it is getSession's first call):
// the getSession module's bytes inlined (js/web/unpack.js says how), compiled asynchronously,
// and its API. The module holds getSession alone: an app that calls nothing else of the
// client loads no authentication.
import { createGlue } from "sezzle-session-get-glue";
import { GET_WASM_GZIP } from "sezzle-session-get-bytes";
import { createSessionApi } from "../client.js";
import { unpacked } from "./unpack.js";

/** getSession's API over the inlined module; `parsed` is the parser's (js/api.js). */
export async function load(parsed) {
  return createSessionApi(createGlue, await WebAssembly.compile(await unpacked(GET_WASM_GZIP)), parsed);
}
