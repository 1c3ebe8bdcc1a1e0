// The client's chunk for web/index.js (a dynamic import() of it is the first client call's):
// the client module's bytes inlined gzip-compressed as base64, unpacked with the platform's
// DecompressionStream, compiled asynchronously, and its API. Compressed, not hex as the
// parser (which is compiled synchronously at import, and no platform unpacks synchronously):
// a compressed module in base64 gzips to about its own size again, where its hex gzips to
// 12% more than the module does (`make bench`, the size table).
import { createGlue } from "sezzle-session-client-glue";
import { CLIENT_WASM_GZIP } from "sezzle-session-client-bytes";
import { createClientApi } from "../client.js";

/** The client's API over the inlined module; `parsed` is the parser's (js/api.js). */
export async function load(parsed) {
  return createClientApi(createGlue, await WebAssembly.compile(await unpacked(CLIENT_WASM_GZIP)), parsed);
}

async function unpacked(base64) {
  if (typeof DecompressionStream !== "function") {
    throw new Error("this platform has no DecompressionStream (Chrome 80, Firefox 113, Safari 16.4 and later have it), which the default entry unpacks the client module with; sezzle-session/slim loads it as a file");
  }
  const packed = typeof Uint8Array.fromBase64 === "function" ? Uint8Array.fromBase64(base64) : Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
