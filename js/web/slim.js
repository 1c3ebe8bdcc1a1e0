// sezzle-session/slim (copied as it is to pkg/web/slim.js): the modules stay files beside it,
// loaded when the page says so. init() or initSync() loads the parser module
// (web/sezzle_session_bg.wasm); the client module (web/sezzle_session_client_bg.wasm) is
// loaded by the first client call, through a chunk of its own, or at once by
// init({ client: true }) or init({ client: source }). For pages that count bytes (the inlined
// entry's hex costs more) and hosts the package cannot guess (a CDN, a worker given the bytes,
// an extension's packaged file). Two halves, as web/index.js has, for the same reason.
export { init, initSync, parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, sessionSchema, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS } from "./slim-parser.js";
export { getSession, authenticate, SezzleClient } from "./slim-client.js";
