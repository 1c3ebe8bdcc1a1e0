// sezzle-session/slim (copied as it is to pkg/web/slim.js): the modules stay files beside it,
// loaded when the page says so. init() or initSync() loads the parser module
// (web/sezzle_session_bg.wasm); the getSession module (web/sezzle_session_get_bg.wasm) is
// loaded by the first getSession call and the client module
// (web/sezzle_session_client_bg.wasm) by the first call of authenticate or SezzleClient, each
// through a chunk of its own, or at once by init({ get }) and init({ client }) (`true`, or a
// source). For pages that count bytes (the inlined entry's hex costs more) and hosts the
// package cannot guess (a CDN, a worker given the bytes, an extension's packaged file). Three
// parts, as web/index.js has, for the same reason.
export { init, initSync, parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, sessionSchema, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS } from "./slim-parser.js";
export { getSession } from "./slim-get.js";
export { authenticate, SezzleClient } from "./slim-client.js";
