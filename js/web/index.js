// Browsers and bundlers, with no configuration (bundled into pkg/web/index.js): the module's
// bytes are inlined as base64 and compiled synchronously on import. No top-level await and no
// .wasm asset, so every bundler takes it as plain JavaScript (Vite 5 to 8, webpack, Rollup,
// esbuild in any format, Parcel). The cost, in bytes, is in the README; web/slim.js is the
// entry that loads the .wasm as a file instead.
import { createGlue } from "sezzle-session-glue";
import { WASM_BASE64 } from "sezzle-session-wasm-base64";
import { createApi, loadError } from "../api.js";

function decode(base64) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(base64);
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

// A page whose CSP lacks 'wasm-unsafe-eval', a Chromium before 115, replaced globals
// (WebAssembly, TextDecoder): a SezzleError of kind internal that says which.
function load() {
  try {
    return createApi(createGlue, new WebAssembly.Module(decode(WASM_BASE64)));
  } catch (error) {
    throw loadError(error, "internal");
  }
}

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, getSession, authenticate, SezzleClient, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS, sessionSchema } = load();
