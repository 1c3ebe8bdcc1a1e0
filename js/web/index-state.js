// What the client parts of an entry whose parser is made on import share (web/index.js, with
// the parser module inlined, and web/workerd.js, with it imported as a module): the client
// module's loader, once an app holds authenticate or SezzleClient (clientPart sets it).
// getSession's first call takes the client module when it is already loaded or on its way
// (getSessionPart), rather than load the getSession module besides: an app that made a
// SezzleClient first loads one module.
import { clientLoader, lazyAsync } from "../lazy.js";

export const shared = { client: undefined };

/** getSession over `parser`, whose first call loads the getSession module: `load(parsed)`. */
export function getSessionPart(parser, load) {
  const loader = clientLoader(() => {
    if (shared.client?.started()) return shared.client.loaded();
    return load(parser.parsed);
  }, undefined, "the getSession module");
  return lazyAsync(loader, "getSession");
}

/** The client module's loader over `parser`: `load(parsed)` on the first use. */
export function clientPart(parser, load) {
  return clientLoader(() => load(parser.parsed), (made) => (shared.client = made));
}
