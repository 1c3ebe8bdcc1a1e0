// Browsers and bundlers: an ES module that fetches sezzle_session_bg.wasm from beside itself
// (top-level await), so importing it is all the initialisation a page needs.
import init, * as wasm from "./sezzle_session.js";
import { createApi } from "../api.mjs";

await init();

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, getSession, authenticate, SezzleClient, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS } =
  createApi(wasm);
