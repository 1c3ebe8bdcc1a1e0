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
  sessionSchema,
} from "sezzle-session";
import type { StandardSchemaV1 } from "@standard-schema/spec";

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
  // A failure always carries its issues.
  const issues: Issue[] = result.error.issues;
  const codes: IssueCode[] = issues.map((i) => i.code);
  const path: Array<string | number> = issues[0]?.path ?? [];
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
      // Discriminated by kind: an http error always has its status.
      const status: number = e.status;
      const apiErrors: ApiError[] | undefined = e.apiErrors;
      const debugUuid: string | undefined = e.debugUuid;
      const wait: number | undefined = e.retryAfterMs;
      void status, apiErrors, debugUuid, wait;
    } else if (e instanceof SezzleError && e.kind === "validation") {
      const issues: Issue[] = e.issues;
      // A validation error has no apiErrors: reading them gives undefined, typed so.
      const none: undefined = e.apiErrors;
      // @ts-expect-error nor is it an array of them
      const wrong: ApiError[] = e.apiErrors;
      void issues, none, wrong;
    }
    // Not narrowed (as code written against 0.1.0 reads it): every kind's details can be
    // read, each possibly undefined.
    if (e instanceof SezzleError) {
      const issues: Issue[] | undefined = e.issues;
      const status: number | undefined = e.status;
      const attempts: number | undefined = e.attempts;
      const apiErrors: ApiError[] | undefined = e.apiErrors;
      // @ts-expect-error possibly undefined until narrowed
      const sure: Issue[] = e.issues;
      void issues, status, attempts, apiErrors, sure;
    }
  }
  const timeout: number = CLIENT_DEFAULTS.timeoutMs;
  void again, timeout;
}

// Users' own tests make SezzleErrors as the package does.
const made = new SezzleError("http", "GET /v2/session/x: 404 Not Found", { status: 404 });
const madeStatus: number = made.status;
const madeValidation = new SezzleError("validation", "invalid session", { issues: [{ path: [], code: "required", message: "uuid is required" }] });
// @ts-expect-error an http error needs its status
new SezzleError("http", "no status");
// @ts-expect-error kind is a union
new SezzleError("teapot", "x");

// The session validator as a Standard Schema, as @standard-schema/spec types it.
const standard: StandardSchemaV1<unknown, Session> = sessionSchema;
const validated = sessionSchema["~standard"].validate({ uuid: "s" });
if (validated.issues === undefined) {
  const output: Session = validated.value;
  void output;
} else {
  const where: ReadonlyArray<PropertyKey | StandardSchemaV1.PathSegment> | undefined = validated.issues[0]?.path;
  void where;
}
const inferred: StandardSchemaV1.InferOutput<typeof sessionSchema> = session;

const limit: number = MAX_INPUT_BYTES;
void made, madeStatus, madeValidation, standard, inferred;
void client, fromBytes, fromObject, intent, expiration, method, badIntent, badMethod, mustCheck, url, approval, self, limit;
