// The client's chunk for web/slim.js (a dynamic import() of it is the first client call's, or
// init({ client })'s): the client module loaded as a file, from beside this chunk unless the
// page says where, and its API.
import { createGlue } from "sezzle-session-client-glue";
import { createClientApi } from "../client.js";
import { compiledFrom } from "./source.js";

/** The client's API over the module from `source`; `parsed` is the parser's (js/api.js). */
export async function load(source, parsed) {
  const module = await compiledFrom(source, () => new URL("sezzle_session_client_bg.wasm", import.meta.url));
  return createClientApi(createGlue, module, parsed);
}
