// An app that parses, fetches with getSession and makes a SezzleClient, on the default entry:
// getSession's chunk comes with its first call, the client's with the SezzleClient.
import { parseSession, checkoutUrl, SezzleError, SezzleClient, getSession } from "sezzle-session";
import { fetchSeed, gateway, probe, show } from "./probe.js";

show(async () => ({ ...probe({ parseSession, checkoutUrl, SezzleError }), ...(await fetchSeed({ getSession, SezzleClient }, gateway())) }));
