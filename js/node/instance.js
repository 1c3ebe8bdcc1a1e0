// What both Node entries share. Each entry is one file (scripts/build-pkg.mjs bundles it with
// esbuild, the module's bytes inlined as base64): in a fresh Node process every file the
// loader resolves costs time, and a Node bundle (esbuild --platform=node, webpack's
// target "node") that moves the entry elsewhere has no file beside it to read.
//
// Each entry builds its own instance, and keeps it in no global: code that ran first could
// plant an object there (one whose checkoutUrl answers any URL). A process that both imports
// and requires the package holds two instances; an error of either is `instanceof` both
// SezzleError classes (js/api.js).
import { createGlue } from "sezzle-session-glue";
import { WASM_BASE64 } from "sezzle-session-wasm-base64";
import { createApi, loadError } from "../api.js";

/**
 * The API over a new instance of the inlined module. A process whose globals were replaced
 * (Buffer, WebAssembly, TextDecoder) gets a SezzleError of kind internal saying so.
 */
export function instance() {
  try {
    return createApi(createGlue, new WebAssembly.Module(Buffer.from(WASM_BASE64, "base64")));
  } catch (error) {
    throw loadError(error, "internal");
  }
}
