// What both Node entries share. Each entry is one file (scripts/build-pkg.mjs bundles it with
// esbuild, both modules' bytes inlined as base64): in a fresh Node process every file the
// loader resolves costs time, and a Node bundle (esbuild --platform=node, webpack's
// target "node") that moves the entry elsewhere has no file beside it to read.
//
// Importing compiles the parser module only; the client module's bytes are decoded and
// compiled, synchronously, by the first client call (js/lazy.js), so `new SezzleClient`
// checks its options and throws as it always did.
//
// Each entry builds its own instances, and keeps them in no global: code that ran first could
// plant an object there (one whose checkoutUrl answers any URL). A process that both imports
// and requires the package holds two of each; an error of either is `instanceof` both
// SezzleError classes (js/errors.js).
import { createGlue } from "sezzle-session-glue";
import { createGlue as createClientGlue } from "sezzle-session-client-glue";
import { PARSER_WASM } from "sezzle-session-parser-bytes";
import { CLIENT_WASM } from "sezzle-session-client-bytes";
import { createParserApi, standardSchema, MAX_INPUT_BYTES } from "../api.js";
import { createClientApi } from "../client.js";
import { clientLoader, lazyAsync, lazyClass } from "../lazy.js";
import { SezzleError, loadError } from "../errors.js";
import { CLIENT_DEFAULTS } from "../client.generated.js";

const compile = (base64) => new WebAssembly.Module(Buffer.from(base64, "base64"));

/**
 * The API over a new instance of the inlined parser module. A process whose globals were
 * replaced (Buffer, WebAssembly, TextDecoder) gets a SezzleError of kind internal saying so.
 */
export function instance() {
  let parser;
  try {
    parser = createParserApi(createGlue, compile(PARSER_WASM));
  } catch (error) {
    throw loadError(error, "internal");
  }
  const loader = clientLoader(() => createClientApi(createClientGlue, compile(CLIENT_WASM), parser.parsed));
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
