// A module's bytes from the gzip-compressed (zopfli, scripts/build-pkg.mjs) base64 text the default browser entry inlines for
// the client module and the getSession module (js/web/client-inline.js, get-inline.js),
// unpacked with the platform's DecompressionStream. Compressed, not hex as the parser (which
// is compiled synchronously at import, and no platform unpacks synchronously): a compressed
// module in base64 gzips to about its own size again, where its hex gzips to 12% more than
// the module does (`make bench`, the size table).
export async function unpacked(base64) {
  if (typeof DecompressionStream !== "function") {
    throw new Error("this platform has no DecompressionStream (Chrome 80, Firefox 113, Safari 16.4 and later have it), which the default entry unpacks the client's modules with; sezzle-session/slim loads them as files");
  }
  const packed = typeof Uint8Array.fromBase64 === "function" ? Uint8Array.fromBase64(base64) : Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
