// Node, ES module: the same instance as the CommonJS entry.
import api from "./index.cjs";

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, getSession, authenticate, SezzleClient, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS } = api;
