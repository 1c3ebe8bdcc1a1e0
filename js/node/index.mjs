// Node, ES module: the same instance as the CommonJS entry. It is loaded with require (not
// `import ... from "./index.cjs"`), which spares a fresh process the ESM loader's scan of
// CommonJS exports (about 10 ms of cold start, measured by `make bench`).
import { createRequire } from "node:module";

const api = createRequire(import.meta.url)("./index.cjs");

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, getSession, authenticate, SezzleClient, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS } = api;
