// An app that parses and fetches with getSession, on the default entry: getSession's chunk
// comes with its first call, and the client's (authenticate, SezzleClient) never.
import { parseSession, checkoutUrl, SezzleError, getSession } from "sezzle-session";
import { fetchSeed, gateway, probe, show } from "./probe.js";

show(async () => ({ ...probe({ parseSession, checkoutUrl, SezzleError }), ...(await fetchSeed({ getSession }, gateway())) }));
