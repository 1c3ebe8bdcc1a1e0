import { parseSession, checkoutUrl, SezzleError, SezzleClient, getSession } from "sezzle-session";
import { fetchSeed, probe } from "./probe.js";

// (No top-level await: the CommonJS bundles cannot hold one.)
const gateway = { baseUrl: process.env.SEZZLE_GATEWAY, token: process.env.SEZZLE_TOKEN };
fetchSeed({ getSession, SezzleClient }, gateway).then((fetched) => {
  console.log(JSON.stringify({ ...probe({ parseSession, checkoutUrl, SezzleError }), ...fetched }));
});
