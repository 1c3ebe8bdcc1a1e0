import { init, parseSession, checkoutUrl, SezzleError, SezzleClient } from "sezzle-session/slim";
import { probe, show } from "./probe.js";

// init() fetches web/sezzle_session_bg.wasm from where the bundler emitted it. No top-level
// await: Vite 5 and 6 refuse it in app code under their default build target.
show(async () => {
  await init();
  return probe({ parseSession, checkoutUrl, SezzleError, SezzleClient });
});
