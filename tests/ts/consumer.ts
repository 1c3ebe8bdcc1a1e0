// Compiled with `tsc --strict --noEmit` inside an empty project that installed the packed
// tarball (make test-types): every export is used, and the declared types must be precise
// enough for the lines marked @ts-expect-error to fail.
import {
  approvalUrl,
  authenticate,
  CLIENT_DEFAULTS,
  getSession,
  SezzleClient,
  type ApiError,
  type Authentication,
  checkoutUrl,
  findLink,
  MAX_INPUT_BYTES,
  parseSession,
  safeParseSession,
  SezzleError,
  type HttpMethod,
  type Intent,
  type Issue,
  type IssueCode,
  type Link,
  type SafeParseResult,
  type Session,
  type SessionOrder,
  type SessionTokenize,
  type SezzleErrorKind,
} from "sezzle-session";

const session: Session = parseSession('{"uuid":"s"}');
const fromBytes: Session = parseSession(new Uint8Array([123, 125]));
const fromObject: Session = parseSession({ uuid: "s" });

const order: SessionOrder | undefined = session.order;
const intent: Intent | undefined = order?.intent;
const tokenize: SessionTokenize | undefined = session.tokenize;
const expiration: string | undefined = tokenize?.expiration;
const links: Link[] = session.links;
const method: HttpMethod | undefined = links[0]?.method;

// @ts-expect-error intent is a union, not any string
const badIntent: Intent = "SALE";
// @ts-expect-error method is a union
const badMethod: HttpMethod = "FETCH";
// @ts-expect-error order is optional
const mustCheck: string = session.order.uuid;

const url: string | undefined = checkoutUrl(session, { allowedHosts: ["checkout.sezzle.com"] });
const approval: string | undefined = approvalUrl(session);
const self: Link | undefined = findLink(links, "self", "PATCH");
// @ts-expect-error findLink takes only HTTP methods
findLink(links, "self", "FETCH");

const result: SafeParseResult = safeParseSession(42);
if (result.success) {
  const data: Session = result.data;
  const warnings: Issue[] = result.warnings;
  void data, warnings;
} else {
  const error: SezzleError = result.error;
  const kind: SezzleErrorKind = error.kind;
  const issues: Issue[] | undefined = error.issues;
  const codes: IssueCode[] = (issues ?? []).map((i) => i.code);
  const path: Array<string | number> = issues?.[0]?.path ?? [];
  // @ts-expect-error kind is a union
  const badKind: SezzleErrorKind = "oops";
  void kind, codes, path, badKind;
}

try {
  parseSession("{");
} catch (e) {
  if (e instanceof SezzleError && e instanceof Error) {
    const name: "SezzleError" = e.name;
    void name;
  }
}

async function client(signal: AbortSignal): Promise<void> {
  const fetched: Session = await getSession("s1", { token: "t", baseUrl: "http://127.0.0.1:8787/v2", timeoutMs: 500, retries: 0, signal });
  const auth: Authentication = await authenticate({ publicKey: "p", privateKey: "k", environment: "production", region: "eu" });
  const byKeys = new SezzleClient({ publicKey: "p", privateKey: "k", renewBeforeMs: 0 });
  const byToken = new SezzleClient({ token: auth.token, fetch: globalThis.fetch });
  const again: Session = await byKeys.getSession(fetched.uuid, { signal });
  // @ts-expect-error a token is required
  await getSession("s1", {});
  // @ts-expect-error environment is a union
  await getSession("s1", { token: "t", environment: "staging" });
  // @ts-expect-error token or keys, not both
  new SezzleClient({ token: "t", publicKey: "p", privateKey: "k" });
  // @ts-expect-error both keys
  new SezzleClient({ publicKey: "p" });
  try {
    await byToken.getSession("s1");
  } catch (e) {
    if (e instanceof SezzleError && e.kind === "http") {
      const status: number | undefined = e.status;
      const apiErrors: ApiError[] | undefined = e.apiErrors;
      const debugUuid: string | undefined = e.debugUuid;
      const wait: number | undefined = e.retryAfterMs;
      void status, apiErrors, debugUuid, wait;
    }
  }
  const timeout: number = CLIENT_DEFAULTS.timeoutMs;
  void again, timeout;
}

const limit: number = MAX_INPUT_BYTES;
void client, fromBytes, fromObject, intent, expiration, method, badIntent, badMethod, mustCheck, url, approval, self, limit;
