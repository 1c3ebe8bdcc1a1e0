// A Worker on the slim entry, handing it the modules it imports: the parser's to initSync, the
// getSession module's to init({ get }). Answers the session fetched with the input POSTed,
// and what authenticate, whose client module it was not given, says where there is no URL to
// find that module by.
import { authenticate, init, initSync, getSession } from "sezzle-session/slim";
import parser from "sezzle-session/sezzle_session_bg.wasm";
import get from "sezzle-session/sezzle_session_get_bg.wasm";

initSync(parser);

export default {
  async fetch(request) {
    const { uuid, baseUrl, token, keys } = await request.json();
    await init({ get });
    const session = await getSession(uuid, { baseUrl, token, retries: 0 });
    const beside = await authenticate({ ...keys, baseUrl }).then(
      () => "loaded",
      (error) => ({ kind: error.kind, message: error.message }),
    );
    return Response.json({ uuid: session.uuid, beside });
  },
};
