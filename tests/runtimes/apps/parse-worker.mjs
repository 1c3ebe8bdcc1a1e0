// A Worker that only parses: the seed POSTed to it, its uuid and checkout URL answered. Its
// build imports the parser module alone.
import { parseSession, checkoutUrl } from "sezzle-session";

export default {
  async fetch(request) {
    const session = parseSession(new Uint8Array(await request.arrayBuffer()));
    return Response.json([session.uuid, checkoutUrl(session)]);
  },
};
