// An admin page that only parses (issue 21's parse-only app), on the default entry: its build
// must hold nothing of the client.
import { parseSession, safeParseSession, checkoutUrl, SezzleError } from "sezzle-session";
import { probe, show } from "./probe.js";

show(() => ({ ...probe({ parseSession, checkoutUrl, SezzleError }), safe: safeParseSession("{}").success }));
