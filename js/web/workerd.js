// sezzle-session for Cloudflare's workerd (copied as it is to pkg/web/workerd.js): the
// package's "workerd" export condition, which wrangler resolves. A worker may not compile
// WebAssembly from bytes (workerd refuses it once a request is being served), so each module
// is imported as one (an import of its .wasm file, which workerd and wrangler hand over
// compiled) and only instantiated here: the parser's on import, the getSession and client
// modules on the first call of one of their functions. Three parts, as web/index.js has, for
// the same reason: a worker that only parses holds neither client module.
export { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, sessionSchema, MAX_INPUT_BYTES, SezzleError, CLIENT_DEFAULTS } from "./workerd-parser.js";
export { getSession } from "./workerd-get.js";
export { authenticate, SezzleClient } from "./workerd-client.js";
