import { parseSession, checkoutUrl, SezzleError, SezzleClient } from "sezzle-session";
import { probe } from "./probe.js";

console.log(JSON.stringify(probe({ parseSession, checkoutUrl, SezzleError, SezzleClient })));
