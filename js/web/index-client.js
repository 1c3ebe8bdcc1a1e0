// The default browser entry's client half (pkg/web/index-client.js): getSession,
// authenticate and SezzleClient, whose first call imports the client's chunk
// (web/client-inline-*.js, the client module inside it).
import { parser } from "./parser-inline.js";
import { clientLoader, lazyAsync, lazyClass } from "../lazy.js";

const loader = /* @__PURE__ */ clientLoader(() => import("./client-inline.js").then((chunk) => chunk.load(parser.parsed)));
export const getSession = /* @__PURE__ */ lazyAsync(loader, "getSession");
export const authenticate = /* @__PURE__ */ lazyAsync(loader, "authenticate");
export const SezzleClient = /* @__PURE__ */ lazyClass(loader);
