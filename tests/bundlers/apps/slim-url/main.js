import { init } from "sezzle-session/slim";
import { parseSession, checkoutUrl, SezzleError, SezzleClient, getSession } from "sezzle-session/slim";
import wasmUrl from "sezzle-session/sezzle_session_bg.wasm?url";
import clientUrl from "sezzle-session/sezzle_session_client_bg.wasm?url";
import getUrl from "sezzle-session/sezzle_session_get_bg.wasm?url";
import { fetchSeed, gateway, probe, show } from "./probe.js";

// The README's form for Vite's dev server before Vite 8, which pre-bundles web/slim.js away
// from its .wasm files (vitejs/vite#8427): Vite gives each file's URL, init() fetches them.
show(async () => {
  await init({ parser: wasmUrl, client: clientUrl, get: getUrl });
  return { ...probe({ parseSession, checkoutUrl, SezzleError }), ...(await fetchSeed({ getSession, SezzleClient }, gateway())) };
});
