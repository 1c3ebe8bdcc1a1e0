// Node, CommonJS (bundled into pkg/node/index.cjs, where __dirname is the file's folder).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { instance } from "./instance.js";

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, getSession, authenticate, SezzleClient, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS } =
  instance(() => readFileSync(join(__dirname, "..", "web", "sezzle_session_bg.wasm")));
