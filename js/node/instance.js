// What both Node entries share. Each entry is one file (scripts/build-pkg.mjs bundles it with
// esbuild): in a fresh process every file the loader resolves costs time, and the CommonJS
// detour an ES module entry took to share the require entry's instance cost about 3 ms.
//
// One instance per process all the same: whichever entry loads first (import or require)
// builds the API and keeps it under a global symbol; the other finds it there. So a process
// that both imports and requires the package holds one wasm instance and one SezzleError
// class. The key carries the version, so two versions of the package stay apart. The
// package's own tests read `wasm` and `memory` from it; nothing else should.
// The glue's functions by name, not `import * as`: so the bundle leaves out the glue's async
// loader (Node passes the bytes to initSync), whose `new URL("sezzle_session_bg.wasm",
// import.meta.url)` would send a bundler looking for a file that node/ does not have.
import {
  initSync,
  answer_address,
  authentication_url,
  backoff_ms,
  gateway_url,
  http_failure,
  input_buffer,
  parse_authentication,
  parse_input,
  safe_url,
  session_url,
  tape_address,
  tokenize_in_order_warning,
  verdict_input,
  verdict_warnings,
} from "sezzle-session-glue";
import { createApi } from "../api.js";

const KEY = Symbol.for(`sezzle-session@${__VERSION__}`);

/** The process's API, built on first use from the bytes `readWasm` returns. */
export function instance(readWasm) {
  let shared = globalThis[KEY];
  if (shared === undefined) {
    const { memory } = initSync({ module: readWasm() });
    const wasm = {
      answer_address,
      authentication_url,
      backoff_ms,
      gateway_url,
      http_failure,
      input_buffer,
      parse_authentication,
      parse_input,
      safe_url,
      session_url,
      tape_address,
      tokenize_in_order_warning,
      verdict_input,
      verdict_warnings,
    };
    shared = Object.freeze({ api: createApi(wasm, memory), wasm, memory });
    Object.defineProperty(globalThis, KEY, { value: shared });
  }
  return shared.api;
}
