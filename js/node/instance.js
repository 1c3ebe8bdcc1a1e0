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

// Node 20's V8 (11.3) crashes the process ("Fatal error … unreachable code", in
// Deoptimizer::DoComputeBuiltinContinuation) when optimized JS that TurboFan inlined a call
// into WebAssembly is deoptimized while that call runs JS: the client's calls do, the
// parser's never call out. Measured: 5 of 50 processes making 8,000 getSession calls each
// died; with inlining of JS-to-Wasm calls off, none of 50 (tests/js/v8-crash.test.mjs). So
// before the client module is first used, that one optimization is turned off in V8 11 (it
// costs a call into any module a few nanoseconds); later engines are left alone. node:v8 is
// reached then, through process.getBuiltinModule (Node 20.16 and later), not imported: an
// import of it costs every process ~1.6 ms at start.
function avoidV8Crash() {
  if (!/^11\./.test(process.versions.v8 ?? "")) return;
  try {
    process.getBuiltinModule?.("node:v8")?.setFlagsFromString("--no-turbo-inline-js-wasm-calls");
  } catch {}
}

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
  const loader = clientLoader(() => {
    avoidV8Crash();
    return createClientApi(createClientGlue, compile(CLIENT_WASM), parser.parsed);
  });
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
