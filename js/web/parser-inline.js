// The parser module's instance for the default browser entry, made once on import: the
// module's bytes are inlined (js/web/hex.js says why as hex) and compiled synchronously. No
// top-level await and no .wasm asset, so every bundler takes it as plain JavaScript (Vite 5
// to 8, webpack, Rollup, esbuild in any format, Parcel). Shared by the entry's parser half and
// its client half (a chunk of its own in pkg/web/).
import { createGlue } from "sezzle-session-glue";
import { PARSER_WASM } from "sezzle-session-parser-bytes";
import { createParserApi } from "../api.js";
import { loadError } from "../errors.js";
import { fromHex } from "./hex.js";

// A page whose CSP lacks 'wasm-unsafe-eval', a Chromium before 115, replaced globals
// (WebAssembly, TextDecoder): a SezzleError of kind internal that says which.
function load() {
  try {
    return createParserApi(createGlue, new WebAssembly.Module(fromHex(PARSER_WASM)));
  } catch (error) {
    throw loadError(error, "internal");
  }
}

export const parser = load();
