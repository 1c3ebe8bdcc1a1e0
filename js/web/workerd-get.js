// web/workerd.js's getSession (pkg/web/workerd-get.js), whose first call imports getSession's
// chunk (web/get-module-*.js), which instantiates the getSession module.
import { parser } from "./parser-module.js";
import { getSessionPart } from "./index-state.js";

export const getSession = /* @__PURE__ */ getSessionPart(parser, (parsed) => import("./get-module.js").then((chunk) => chunk.load(parsed)));
