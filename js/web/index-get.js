// The default browser entry's getSession (pkg/web/index-get.js), whose first call imports
// getSession's chunk (web/get-inline-*.js, the getSession module inside it). A file of its
// own, apart from the client's (index-client.js): a bundler leaves out the file an app does not
// use and with it the chunk its import() names, which it keeps while the file is in.
import { parser } from "./parser-inline.js";
import { getSessionPart } from "./index-state.js";

export const getSession = /* @__PURE__ */ getSessionPart(parser, (parsed) => import("./get-inline.js").then((chunk) => chunk.load(parsed)));
