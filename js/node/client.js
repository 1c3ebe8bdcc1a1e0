// Node: the client module and the client's code (getSession, authenticate, SezzleClient),
// bundled into pkg/node/sezzle-session-client.cjs, a file beside the entries. Neither entry
// holds it: importing the package reads and compiles only the parser's part, and the first
// client call loads this file synchronously (js/node/instance.js). Its js/errors.js is the
// entry's, given to makeClient (scripts/build-pkg.mjs, entryErrors).
import { createGlue } from "sezzle-session-client-glue";
import { CLIENT_WASM } from "sezzle-session-client-bytes";
import { useErrors } from "../errors.js";
import { createClientApi } from "../client.js";

/**
 * The client's API over a new instance of the client module; `parsed` is the entry's parser,
 * `errors` the entry's js/errors.js.
 */
export function makeClient(parsed, errors) {
  useErrors(errors);
  return createClientApi(createGlue, new WebAssembly.Module(Buffer.from(CLIENT_WASM, "base64")), parsed);
}
