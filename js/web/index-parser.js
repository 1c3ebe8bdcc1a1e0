// The default browser entry's parser half (pkg/web/index-parser.js): the parser's exports.
import { parser } from "./parser-inline.js";
import { standardSchema } from "../api.js";

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink } = parser.exported;
// Made by a call marked pure: an app that never names it leaves it out.
export const sessionSchema = /* @__PURE__ */ standardSchema(safeParseSession);
export { MAX_INPUT_BYTES } from "../api.js";
export { SezzleError } from "../errors.js";
export { CLIENT_DEFAULTS } from "../client.generated.js";
