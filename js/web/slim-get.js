// The slim entry's getSession (pkg/web/slim-get.js), whose first call (or init({ get }))
// imports getSession's chunk (web/get-file-*.js), which loads web/sezzle_session_get_bg.wasm
// from beside itself unless the page said where. A file of its own, as index-get.js is.
import { clientLoader, lazyAsync } from "../lazy.js";
import { notReady, slim } from "./slim-state.js";

// When the client module is already loaded or on its way, the first call takes that instead
// (it serves getSession the same), as the default entry's does (index-get.js).
const loader = /* @__PURE__ */ clientLoader(() => {
  if (!slim.parser) throw notReady("getSession");
  if (slim.clientHook?.started()) return slim.clientHook.loaded();
  return import("./get-file.js").then((chunk) => chunk.load(slim.getSource, slim.parser.parsed));
}, (made) => (slim.getHook = made), "the getSession module");
export const getSession = /* @__PURE__ */ lazyAsync(loader, "getSession");
