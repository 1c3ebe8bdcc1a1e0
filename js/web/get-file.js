// getSession's chunk for web/slim.js (a dynamic import() of it is getSession's first call, or
// init({ get })'s): the getSession module loaded as a file, from beside this chunk unless the
// page says where, and its API.
import { createGlue } from "sezzle-session-get-glue";
import { createSessionApi } from "../client.js";
import { compiledFrom } from "./source.js";

/** getSession's API over the module from `source`; `parsed` is the parser's (js/api.js). */
export async function load(source, parsed) {
  const module = await compiledFrom(source, () => new URL("sezzle_session_get_bg.wasm", import.meta.url));
  return createSessionApi(createGlue, module, parsed);
}
