// A module's bytes from the hex text the browser entries inline. Hex, not base64: gzip finds
// the module's repeats in hex (two characters a byte, aligned) and not in base64 (six bits a
// character): the parser module inlined gzips to 35.9 KB as hex, 43.8 KB as base64.
export function fromHex(hex) {
  if (typeof Uint8Array.fromHex === "function") return Uint8Array.fromHex(hex);
  const bytes = new Uint8Array(hex.length >>> 1);
  for (let i = 0, j = 0; i < bytes.length; i++, j += 2) bytes[i] = (digit(hex.charCodeAt(j)) << 4) | digit(hex.charCodeAt(j + 1));
  return bytes;
}

// A lowercase hex digit's value ("0" to "9", "a" to "f").
const digit = (code) => (code > 0x39 ? code - 0x57 : code - 0x30);
