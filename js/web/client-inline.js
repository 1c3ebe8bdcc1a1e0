// The client's chunk for web/index.js (a dynamic import() of it is the first call of
// authenticate or SezzleClient): the client module's bytes inlined (js/web/unpack.js says
// how), compiled asynchronously, and its API.
import { createGlue } from "sezzle-session-client-glue";
import { CLIENT_WASM_GZIP } from "sezzle-session-client-bytes";
import { createClientApi } from "../client.js";
import { unpacked } from "./unpack.js";

/** The client's API over the inlined module; `parsed` is the parser's (js/api.js). */
export async function load(parsed) {
  return createClientApi(createGlue, await WebAssembly.compile(await unpacked(CLIENT_WASM_GZIP)), parsed);
}
