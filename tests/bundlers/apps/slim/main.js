import { init, parseSession, checkoutUrl, SezzleError, getSession } from "sezzle-session/slim";
import { fetchSeed, gateway, probe, show } from "./probe.js";

// init() fetches web/sezzle_session_bg.wasm from where the bundler emitted it; the first
// getSession call fetches its chunk and web/sezzle_session_get_bg.wasm. No top-level
// await: Vite 5 and 6 refuse it in app code under their default build target.
show(async () => {
  await init();
  return { ...probe({ parseSession, checkoutUrl, SezzleError }), ...(await fetchSeed({ getSession }, gateway())) };
});
