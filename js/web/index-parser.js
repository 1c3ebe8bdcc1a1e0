// The default browser entry's parser half (pkg/web/index-parser.js): the parser's exports.
import { parser } from "./parser-inline.js";

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, sessionSchema } = parser.exported;
export { MAX_INPUT_BYTES } from "../api.js";
export { SezzleError } from "../errors.js";
export { CLIENT_DEFAULTS } from "../client.generated.js";
