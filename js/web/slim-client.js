// The slim entry's client half (pkg/web/slim-client.js): authenticate and SezzleClient, whose
// first call (or init({ client })) imports the client's chunk (web/client-file-*.js), which
// loads web/sezzle_session_client_bg.wasm from beside itself unless the page said where.
// getSession is slim-get.js's.
import { clientLoader, lazyAsync, lazyClass } from "../lazy.js";
import { notReady, slim } from "./slim-state.js";

const loader = /* @__PURE__ */ clientLoader(() => {
  if (!slim.parser) throw notReady("authenticate or new SezzleClient");
  return import("./client-file.js").then((chunk) => chunk.load(slim.clientSource, slim.parser.parsed));
}, (made) => (slim.clientHook = made));
export const authenticate = /* @__PURE__ */ lazyAsync(loader, "authenticate");
export const SezzleClient = /* @__PURE__ */ lazyClass(loader);
