// The parser module's instance for web/workerd.js, made once on import from the module the
// runtime hands over compiled (no bytes are compiled here: js/web/workerd.js says why).
import parserModule from "./sezzle_session_bg.wasm";
import { createGlue } from "sezzle-session-glue";
import { createParserApi } from "../api.js";
import { SezzleError, describe, loadError } from "../errors.js";
import { isBytes, isModule } from "./source.js";

/**
 * `imported`, what an import of the .wasm file `file` gave, if it is a compiled module. A build
 * that gives its bytes or its URL instead (a bundler's own rule for .wasm) is told what this
 * entry needs, rather than fail later on something it did not write.
 */
export function compiledModule(imported, file) {
  if (isModule(imported)) return imported;
  const got = isBytes(imported) ? "its bytes" : `a ${describe(imported)}`;
  throw new SezzleError(
    "internal",
    `sezzle-session: the workerd entry imports ${file} as a compiled WebAssembly.Module, and the build gave ${got}: build the worker with wrangler (or import .wasm files as modules, as wrangler's rule does)`,
  );
}

function load() {
  try {
    return createParserApi(createGlue, compiledModule(parserModule, "sezzle_session_bg.wasm"));
  } catch (error) {
    throw error instanceof SezzleError ? error : loadError(error, "internal");
  }
}

export const parser = load();
