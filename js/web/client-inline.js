// The client's chunk for web/index.js (a dynamic import() of it is the first client call's):
// the client module's bytes, inlined as hex, compiled asynchronously, and its API.
import { createGlue } from "sezzle-session-client-glue";
import { CLIENT_WASM } from "sezzle-session-client-bytes";
import { createClientApi } from "../client.js";
import { fromHex } from "./hex.js";

/** The client's API over the inlined module; `parsed` is the parser's (js/api.js). */
export async function load(parsed) {
  return createClientApi(createGlue, await WebAssembly.compile(fromHex(CLIENT_WASM)), parsed);
}
