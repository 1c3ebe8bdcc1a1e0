// What both Node entries share. Each entry is one file (scripts/build-pkg.mjs bundles it with
// esbuild): in a fresh process every file the loader resolves costs time, and the CommonJS
// detour an ES module entry took to share the require entry's instance cost about 3 ms.
//
// One instance per process all the same: whichever entry loads first (import or require)
// builds the API and keeps it under a global symbol; the other finds it there. So a process
// that both imports and requires the package holds one wasm instance and one SezzleError
// class. The key carries the version, so two versions of the package stay apart. The
// package's own tests read `wasm` and `memory` from it; nothing else should.
import { initSync } from "sezzle-session-glue";
import * as functions from "./functions.js";
import { createApi } from "../api.js";

const KEY = Symbol.for(`sezzle-session@${__VERSION__}`);

/** The process's API, built on first use from the bytes `readWasm` returns. */
export function instance(readWasm) {
  let shared = globalThis[KEY];
  if (shared === undefined) {
    const { memory } = initSync({ module: readWasm() });
    const wasm = { ...functions }; // a plain object: the tests spy on its functions
    shared = Object.freeze({ api: createApi(wasm, memory), wasm, memory });
    Object.defineProperty(globalThis, KEY, { value: shared });
  }
  return shared.api;
}
