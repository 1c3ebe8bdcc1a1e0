// web/workerd.js's parser half (pkg/web/workerd-parser.js): the parser's exports, as
// index-parser.js gives them over the inlined module.
import { parser } from "./parser-module.js";
import { standardSchema } from "../api.js";

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink } = parser.exported;
// Made by a call marked pure: a worker that never names it leaves it out.
export const sessionSchema = /* @__PURE__ */ standardSchema(safeParseSession);
export { MAX_INPUT_BYTES } from "../api.js";
export { SezzleError } from "../errors.js";
export { CLIENT_DEFAULTS } from "../client.generated.js";
