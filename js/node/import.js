// Node, ES module (bundled into pkg/node/index.mjs).
import { readFileSync } from "node:fs";
import { instance } from "./instance.js";

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, getSession, authenticate, SezzleClient, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS } =
  instance(() => readFileSync(new URL("../web/sezzle_session_bg.wasm", import.meta.url)));
