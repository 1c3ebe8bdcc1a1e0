// Public types of sezzle-session. Field names are Sezzle's wire names; they mirror the Rust
// types in src/session.rs and src/error.rs (tests/ts/consumer.ts checks them against
// real parse results under `tsc --strict`).

/** The HTTP methods a link may carry. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** `order.intent`. */
export type Intent = "AUTH" | "CAPTURE";

/** One of a session's, order's or tokenize block's links. `rel` is an open set. */
export interface Link {
  href: string;
  method: HttpMethod;
  rel: string;
}

export interface SessionOrder {
  uuid: string;
  intent?: Intent;
  /** Where the shopper pays. Use `checkoutUrl()` before rendering it as a link. */
  checkout_url?: string;
  links: Link[];
}

export interface SessionTokenize {
  token: string;
  /** RFC 3339 date-time, as Sezzle sent it. */
  expiration?: string;
  /** Use `approvalUrl()` before rendering it as a link. */
  approval_url?: string;
  links: Link[];
}

/** A validated checkout session. `tokenize` is here even when Sezzle nested it in `order`. */
export interface Session {
  uuid: string;
  links: Link[];
  order?: SessionOrder;
  tokenize?: SessionTokenize;
}

/** Stable, machine-readable issue codes. */
export type IssueCode =
  | "invalid_json"
  | "invalid_input"
  | "too_deep"
  | "too_large"
  | "invalid_type"
  | "required"
  | "invalid_string"
  | "invalid_url"
  | "unsafe_url"
  | "invalid_enum"
  | "invalid_datetime"
  | "unknown_field"
  | "tokenize_in_order"
  | "duplicate_tokenize"
  /** getSession: a 2xx body cut short by a lost connection. */
  | "truncated"
  /** getSession: a 2xx answer whose content-type is not JSON. */
  | "invalid_content_type";

/** A problem or a warning at one place in the payload. */
export interface Issue {
  /** Keys and array indexes from the payload's root, e.g. `["order", "links", 2, "href"]`. */
  path: Array<string | number>;
  code: IssueCode;
  message: string;
  /** 1-based line of malformed JSON (`invalid_json` only). */
  line?: number;
  /** Column of malformed JSON (`invalid_json` only). */
  column?: number;
}

/**
 * What failed: the payload (`validation`), the caller's arguments (`invalid_argument`, no
 * request sent), the gateway's answer (`http`), the connection (`network`), time (`timeout`),
 * the caller's signal (`aborted`), or the package itself (`internal`).
 */
export type SezzleErrorKind = "validation" | "invalid_argument" | "http" | "network" | "timeout" | "aborted" | "internal";

/** One entry of Sezzle's error body. */
export interface ApiError {
  code: string | null;
  location: string | null;
  message: string | null;
  debug_uuid: string | null;
}

export declare class SezzleError extends Error {
  private constructor();
  readonly name: "SezzleError";
  readonly kind: SezzleErrorKind;
  /** Every issue found (at most 100), for `kind: "validation"`. */
  readonly issues?: Issue[];
  /**
   * The HTTP status, for `http`, and for `validation` of a fetched body. A refused redirect
   * has its 3xx status, or 0 where it is hidden (a browser's opaque redirect).
   */
  readonly status?: number;
  /** Sezzle's error objects, for `http` when the body held them. */
  readonly apiErrors?: ApiError[];
  /** The first `debug_uuid` among `apiErrors`: quote it to Sezzle's support. */
  readonly debugUuid?: string;
  /** The gateway's `Retry-After`, in milliseconds, for `http`. */
  readonly retryAfterMs?: number;
  /** How many requests were sent, for `http`, `network` and `timeout`. */
  readonly attempts?: number;
  /** `{ name, kind, message, ...details }`; never a token or key. */
  toJSON(): Record<string, unknown>;
}

/** What the parsing functions accept: JSON text, UTF-8 JSON bytes, or a parsed object. */
export type SessionInput = string | Uint8Array | object;

export interface UrlOptions {
  /** Hosts that replace Sezzle's own; `"host"` or `"host:port"`. */
  allowedHosts?: readonly string[];
}

export type SafeParseResult =
  | { success: true; data: Session; warnings: Issue[] }
  | { success: false; error: SezzleError };

/** Parses and validates a session; throws a `SezzleError` of kind `validation`. */
export declare function parseSession(input: SessionInput): Session;

/** Like `parseSession`, but never throws, whatever it is given. */
export declare function safeParseSession(input: unknown): SafeParseResult;

/** The order's checkout URL if it is safe, `undefined` if there is none; throws on an unsafe one. */
export declare function checkoutUrl(input: SessionInput, options?: UrlOptions): string | undefined;

/** The tokenize approval URL if it is safe, `undefined` if there is none; throws on an unsafe one. */
export declare function approvalUrl(input: SessionInput, options?: UrlOptions): string | undefined;

/** The first link with this `rel` and `method` (default `"GET"`). */
export declare function findLink(links: readonly Link[], rel: string, method?: HttpMethod): Link | undefined;

/** The largest input accepted, in bytes (1 MiB). */
export declare const MAX_INPUT_BYTES: number;

/** Sezzle's gateways: `environment` and `region` choose one. */
export type Environment = "sandbox" | "production";
export type Region = "us" | "eu";

/** Options of every request to the gateway. */
export interface RequestOptions {
  /** Default `"sandbox"`. */
  environment?: Environment;
  /** Default `"us"`. */
  region?: Region;
  /** Any other gateway, with its version path: `http://127.0.0.1:8787/v2`. Overrides environment and region. */
  baseUrl?: string;
  /** Per attempt, in milliseconds. Default 10000. */
  timeoutMs?: number;
  /** Retries of a failed attempt (0 to 10). Default 2. */
  retries?: number;
  /** Cancels the call, in-flight request included. */
  signal?: AbortSignal;
  /** A fetch to use instead of the global one. */
  fetch?: typeof globalThis.fetch;
}

export interface GetSessionOptions extends RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. Required. */
  token: string;
}

export interface Credentials {
  publicKey: string;
  privateKey: string;
}

/** What `POST /v2/authentication` answers. */
export interface Authentication {
  token: string;
  /** RFC 3339, nanoseconds included, as Sezzle sends it. */
  expiration_date: string;
  merchant_uuid: string | null;
}

export type SezzleClientOptions = RequestOptions & { /** Renew a token this long before its expiration_date. Default 60000. */ renewBeforeMs?: number } & (
    | (Credentials & { token?: undefined })
    | { token: string; publicKey?: undefined; privateKey?: undefined }
  );

/** Fetches `GET /v2/session/{sessionUuid}` and validates it as `parseSession` does. */
export declare function getSession(sessionUuid: string, options: GetSessionOptions): Promise<Session>;

/** Exchanges API keys for a token. */
export declare function authenticate(options: RequestOptions & Credentials): Promise<Authentication>;

/** A client that authenticates lazily, shares and renews its token, and re-authenticates once on a 401. */
export declare class SezzleClient {
  constructor(options: SezzleClientOptions);
  getSession(sessionUuid: string, options?: { signal?: AbortSignal }): Promise<Session>;
}

/** The defaults of the request options. */
export declare const CLIENT_DEFAULTS: {
  readonly environment: "sandbox";
  readonly region: "us";
  readonly timeoutMs: number;
  readonly retries: number;
  readonly renewBeforeMs: number;
};
