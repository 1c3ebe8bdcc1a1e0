// The default browser entry's client half (pkg/web/index-client.js): authenticate and
// SezzleClient, whose first call imports the client's chunk (web/client-inline-*.js, the
// client module inside it). getSession is index-get.js's, so an app that calls only getSession
// holds nothing of this file.
import { parser } from "./parser-inline.js";
import { lazyAsync, lazyClass } from "../lazy.js";
import { clientPart } from "./index-state.js";

const loader = /* @__PURE__ */ clientPart(parser, (parsed) => import("./client-inline.js").then((chunk) => chunk.load(parsed)));
export const authenticate = /* @__PURE__ */ lazyAsync(loader, "authenticate");
export const SezzleClient = /* @__PURE__ */ lazyClass(loader);
