// apps/hostile.mjs in a Worker (the package's workerd entry): the seed POSTed, the answer
// returned as JSON.
import * as api from "sezzle-session";
import { hostile } from "./hostile.mjs";

export default {
  async fetch(request) {
    return Response.json(hostile(api, await request.text()));
  },
};
