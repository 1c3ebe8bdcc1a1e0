// getSession's chunk for web/workerd.js (a dynamic import() of it is getSession's first call):
// the getSession module as the runtime hands it over, compiled, and its API. The module is
// imported here, not in workerd-get.js: a worker that never calls getSession drops that file,
// and with it this chunk and its module.
import getModule from "./sezzle_session_get_bg.wasm";
import { compiledModule } from "./parser-module.js";
import { createGlue } from "sezzle-session-get-glue";
import { createSessionApi } from "../client.js";

/** getSession's API; `parsed` is the parser's (js/api.js). */
export async function load(parsed) {
  return createSessionApi(createGlue, compiledModule(getModule, "sezzle_session_get_bg.wasm"), parsed);
}
