import { init } from "sezzle-session/slim";
import { parseSession, checkoutUrl, SezzleError, SezzleClient } from "sezzle-session/slim";
import wasmUrl from "sezzle-session/sezzle_session_bg.wasm?url";
import { probe, show } from "./probe.js";

// The README's form for Vite's dev server before Vite 8, which pre-bundles web/slim.js away
// from its .wasm (vitejs/vite#8427): Vite gives the file's URL, init() fetches it.
show(async () => {
  await init(wasmUrl);
  return probe({ parseSession, checkoutUrl, SezzleError, SezzleClient });
});
