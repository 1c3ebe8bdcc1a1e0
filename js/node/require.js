// Node, CommonJS (bundled into pkg/node/index.cjs).
import { instance } from "./instance.js";

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, getSession, authenticate, SezzleClient, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS, sessionSchema } =
  instance(() => require("./sezzle-session-client.cjs"));
