// sezzle-session for browsers and bundlers, with no configuration (copied as it is to
// pkg/web/index.js). Three parts, each a file: the parser's exports, whose import compiles the
// parser module inlined in it; getSession, whose first call imports getSession's chunk; and
// the client's (authenticate, SezzleClient), whose first call imports the client's chunk.
// Only re-exports here, and the package has no side effects ("sideEffects": false): a bundler
// leaves out a part that an app does not use, and with a client part its chunk, so a
// parse-only build holds no byte of the client (tests/bundlers checks webpack, Parcel,
// Rollup, Vite and esbuild).
export { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, sessionSchema, MAX_INPUT_BYTES, SezzleError, CLIENT_DEFAULTS } from "./index-parser.js";
export { getSession } from "./index-get.js";
export { authenticate, SezzleClient } from "./index-client.js";
