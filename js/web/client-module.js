// The client's chunk for web/workerd.js (a dynamic import() of it is the first call of
// authenticate or SezzleClient): the client module as the runtime hands it over, compiled,
// and its API (imported here for the reason get-module.js gives).
import clientModule from "./sezzle_session_client_bg.wasm";
import { compiledModule } from "./parser-module.js";
import { createGlue } from "sezzle-session-client-glue";
import { createClientApi } from "../client.js";

/** The client's API; `parsed` is the parser's (js/api.js). */
export async function load(parsed) {
  return createClientApi(createGlue, compiledModule(clientModule, "sezzle_session_client_bg.wasm"), parsed);
}
