// The default browser entry's getSession (pkg/web/index-get.js), whose first call imports
// getSession's chunk (web/get-inline-*.js, the getSession module inside it). A file of its
// own, apart from the client's (index-client.js): a bundler leaves out the file an app does not
// use and with it the chunk its import() names, which it keeps while the file is in.
// When the client module is already loaded or on its way, the first call takes that instead
// (it serves getSession the same: index-state.js).
import { parser } from "./parser-inline.js";
import { clientLoader, lazyAsync } from "../lazy.js";
import { shared } from "./index-state.js";

const loader = /* @__PURE__ */ clientLoader(() => {
  if (shared.client?.started()) return shared.client.loaded();
  return import("./get-inline.js").then((chunk) => chunk.load(parser.parsed));
}, undefined, "the getSession module");
export const getSession = /* @__PURE__ */ lazyAsync(loader, "getSession");
