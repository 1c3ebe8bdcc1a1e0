import { parseSession, checkoutUrl, SezzleError, SezzleClient } from "sezzle-session";
import { probe, show } from "./probe.js";

show(() => probe({ parseSession, checkoutUrl, SezzleError, SezzleClient }));
