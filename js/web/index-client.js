// The default browser entry's client half (pkg/web/index-client.js): authenticate and
// SezzleClient, whose first call imports the client's chunk (web/client-inline-*.js, the
// client module inside it). getSession is index-get.js's, so an app that calls only getSession
// holds nothing of this file.
import { parser } from "./parser-inline.js";
import { clientLoader, lazyAsync, lazyClass } from "../lazy.js";
import { shared } from "./index-state.js";

const loader = /* @__PURE__ */ clientLoader(() => import("./client-inline.js").then((chunk) => chunk.load(parser.parsed)), (made) => (shared.client = made));
export const authenticate = /* @__PURE__ */ lazyAsync(loader, "authenticate");
export const SezzleClient = /* @__PURE__ */ lazyClass(loader);
