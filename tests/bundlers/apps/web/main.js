// An app that parses and fetches, on the default entry: the client's chunk comes with the
// first client call.
import { parseSession, checkoutUrl, SezzleError, SezzleClient, getSession } from "sezzle-session";
import { fetchSeed, gateway, probe, show } from "./probe.js";

show(async () => ({ ...probe({ parseSession, checkoutUrl, SezzleError }), ...(await fetchSeed({ getSession, SezzleClient }, gateway())) }));
