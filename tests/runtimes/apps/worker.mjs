// A Cloudflare Worker (wrangler builds it, workerd runs it): checks.mjs on the input POSTed to
// it, answered as JSON. The package resolves to its "workerd" entry.
import * as api from "sezzle-session";
import { checks } from "./checks.mjs";

export default {
  async fetch(request) {
    return Response.json(await checks(api, await request.json()));
  },
};
