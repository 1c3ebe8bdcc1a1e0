// What every runtime's app does with the package, the same code in each (esm.mjs and cjs.cjs
// under Node, Deno and Bun; worker.mjs in workerd): parse the seed from text and bytes, take
// its URLs, refuse a look-alike host and a malformed payload, and fetch sessions from the
// mock gateway with a token (getSession) and with keys (SezzleClient). Answers what it saw.
export async function checks(api, { seedText, baseUrl, token, keys, uuid, unknown }) {
  const outcome = async (run) => {
    try {
      return { value: await run() };
    } catch (error) {
      const issue = error?.issues?.[0];
      return { kind: error?.kind, status: error?.status, issue: issue && [issue.path.join("."), issue.code], typed: error instanceof api.SezzleError };
    }
  };
  const seed = api.parseSession(seedText);
  const lookalike = JSON.parse(seedText);
  lookalike.order.checkout_url = "https://checkout.sezzle.com.example.net/?id=1";
  const invalid = api.safeParseSession('{"uuid": 7, "links": []}');
  return {
    parsed: [seed.uuid, seed.order.uuid, seed.order.links.length, seed.tokenize.expiration],
    bytes: api.parseSession(new TextEncoder().encode(seedText)).order.checkout_url,
    checkoutUrl: api.checkoutUrl(seed),
    approvalUrl: api.approvalUrl(seedText),
    lookalike: await outcome(() => api.checkoutUrl(lookalike)),
    invalid: invalid.success ? "accepted" : invalid.error.issues.map((issue) => [issue.path.join("."), issue.code]),
    getSession: (await api.getSession(uuid, { baseUrl, token, retries: 0 })).uuid,
    client: (await new api.SezzleClient({ ...keys, baseUrl, retries: 0 }).getSession(uuid)).order.uuid,
    unknown: await outcome(() => api.getSession(unknown, { baseUrl, token, retries: 0 })),
  };
}
