// web/workerd.js's client half (pkg/web/workerd-client.js): authenticate and SezzleClient,
// whose first call imports the client's chunk (web/client-module-*.js), which instantiates
// the client module.
import { parser } from "./parser-module.js";
import { lazyAsync, lazyClass } from "../lazy.js";
import { clientPart } from "./index-state.js";

const loader = /* @__PURE__ */ clientPart(parser, (parsed) => import("./client-module.js").then((chunk) => chunk.load(parsed)));
export const authenticate = /* @__PURE__ */ lazyAsync(loader, "authenticate");
export const SezzleClient = /* @__PURE__ */ lazyClass(loader);
