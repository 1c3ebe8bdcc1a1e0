// Copied by the runner beside each app's main.js, with seed.js (the seed fixture's text).
// What every app checks at run time, on the package's real exports: a parse of the seed
// fixture (text, bytes, object), its safe checkout URL, a SezzleError of kind "validation"
// for "{"; and, in the apps that fetch, the seed's session from the mock gateway the runner
// started (by getSession, and in some by a SezzleClient, whose class name a bundler must not
// mangle).
import seed from "./seed.js";

export function probe({ parseSession, checkoutUrl, SezzleError }) {
  const session = parseSession(seed);
  const uuids = [parseSession(new TextEncoder().encode(seed)).uuid, parseSession(JSON.parse(seed)).uuid];
  let error;
  try { parseSession("{"); } catch (caught) { error = caught; }
  return {
    uuid: session.uuid, uuids, checkoutUrl: checkoutUrl(session),
    errorIsSezzleError: error instanceof SezzleError, errorKind: error?.kind,
  };
}

/** The seed's session fetched from the gateway `{ baseUrl, token }` with getSession, and with a SezzleClient when given one. */
export async function fetchSeed({ getSession, SezzleClient }, { baseUrl, token }) {
  const uuid = JSON.parse(seed).uuid;
  const viaFunction = await getSession(uuid, { baseUrl, token });
  if (SezzleClient === undefined) return { fetched: [viaFunction.uuid] };
  const viaClient = await new SezzleClient({ baseUrl, token }).getSession(uuid);
  return { fetched: [viaFunction.uuid, viaClient.uuid], clientName: SezzleClient.name };
}

/** The gateway a browser app is given in its page's query string. */
export function gateway() {
  const query = new URLSearchParams(location.search);
  return { baseUrl: query.get("gateway"), token: query.get("token") };
}

// Browser apps: window.sezzleResult and the page's text.
export async function show(run) {
  let result;
  try { result = { ok: true, ...(await run()) }; } catch (error) { result = { ok: false, error: String(error?.stack ?? error) }; }
  window.sezzleResult = result; // not window.result: that names the <pre id="result"> until set
  document.getElementById("result").textContent = JSON.stringify(result, null, 2);
}
