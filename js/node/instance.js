// What both Node entries share. Each entry is one file (scripts/build-pkg.mjs bundles it with
// esbuild): in a fresh Node process every file the loader resolves costs time.
//
// Each entry builds its own instance, and keeps it in no global: code that ran first could
// plant an object there (one whose checkoutUrl answers any URL). A process that both imports
// and requires the package holds two instances; an error of either is `instanceof` both
// SezzleError classes (js/api.js).
import { initSync, __sezzle_renew } from "sezzle-session-glue";
import * as functions from "./functions.js";
import { createApi } from "../api.js";

/** The API over a new instance of the module whose bytes `readWasm` returns. */
export function instance(readWasm) {
  const { memory } = initSync({ module: readWasm() });
  return createApi({ ...functions }, memory, __sezzle_renew); // a plain object: the tests spy on its functions
}
