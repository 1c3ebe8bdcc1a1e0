// Browsers and bundlers (bundled into pkg/web/index.js): an ES module that fetches
// sezzle_session_bg.wasm from beside itself (top-level await), so importing it is all the
// initialisation a page needs.
import init, * as wasm from "sezzle-session-glue";
import { createApi } from "../api.js";

const { memory } = await init();

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, getSession, authenticate, SezzleClient, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS } =
  createApi({ ...wasm }, memory, wasm.__sezzle_renew);
