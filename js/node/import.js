// Node, ES module (bundled into pkg/node/index.mjs).
import { instance } from "./instance.js";

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, getSession, authenticate, SezzleClient, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS, sessionSchema } =
  instance();
