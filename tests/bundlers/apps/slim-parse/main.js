// The parse-only admin page on the slim entry: the parser module as a file, nothing of the client.
import { init, parseSession, safeParseSession, checkoutUrl, SezzleError } from "sezzle-session/slim";
import { probe, show } from "./probe.js";

show(async () => {
  await init();
  return { ...probe({ parseSession, checkoutUrl, SezzleError }), safe: safeParseSession("{}").success };
});
