// What both Node entries share. What an import needs is one file (scripts/build-pkg.mjs bundles
// each entry with esbuild, the parser module's bytes inlined as base64): in a fresh Node
// process every file the loader resolves costs time.
//
// Importing compiles the parser module only. The client, its module and its code, is a file of
// its own, node/sezzle-session-client.cjs (js/node/client.js), loaded synchronously by the
// first client call through the `clientFile` each entry gives (js/node/import.js,
// require.js): a Node process that only parses never reads it, and `new SezzleClient` checks
// its options and throws as it always did. Each entry names the file in a plain `require()`,
// which Node bundlers follow: a bundle holds it.
//
// Each entry builds its own instances, and keeps them in no global: code that ran first could
// plant an object there (one whose checkoutUrl answers any URL). A process that both imports
// and requires the package holds two of each; an error of either is `instanceof` both
// SezzleError classes (js/errors.js). The client's file uses its entry's js/errors.js.
import { createGlue } from "sezzle-session-glue";
import { PARSER_WASM } from "sezzle-session-parser-bytes";
import { createParserApi, standardSchema, MAX_INPUT_BYTES } from "../api.js";
import { clientLoader, lazyAsync, lazyClass } from "../lazy.js";
import * as errors from "../errors.js";
import { SezzleError, loadError } from "../errors.js";
import { CLIENT_DEFAULTS } from "../client.generated.js";

/**
 * The API over a new instance of the inlined parser module; `clientFile()` gives the client
 * file's exports. A process whose globals were replaced (Buffer, WebAssembly,
 * TextDecoder) gets a SezzleError of kind internal saying so.
 */
export function instance(clientFile) {
  let parser;
  try {
    parser = createParserApi(createGlue, new WebAssembly.Module(Buffer.from(PARSER_WASM, "base64")));
  } catch (error) {
    throw loadError(error, "internal");
  }
  const loader = clientLoader(() => clientFile().makeClient(parser.parsed, errors));
  return {
    ...parser.exported,
    sessionSchema: standardSchema(parser.exported.safeParseSession),
    getSession: lazyAsync(loader, "getSession"),
    authenticate: lazyAsync(loader, "authenticate"),
    SezzleClient: lazyClass(loader),
    SezzleError,
    MAX_INPUT_BYTES,
    CLIENT_DEFAULTS,
  };
}
