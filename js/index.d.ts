// Public types of sezzle-session. The data types (the session, issues, error kinds, options
// objects) are generated from the Rust types into types.generated.d.ts (src/generated_js.rs;
// `cargo test` fails when it is stale); this file re-exports them and declares the functions,
// the SezzleError class and the constants. tests/ts/consumer.ts checks them under
// `tsc --strict`.

import type {
  ApiError,
  AuthenticateOptions,
  Authentication,
  ClientGetSessionOptions,
  GetSessionOptions,
  HttpMethod,
  Issue,
  Link,
  Session,
  SezzleClientOptions,
  SezzleErrorKind,
  UrlOptions,
} from "./types.generated.js";

export * from "./types.generated.js";

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

/** Fetches `GET /v2/session/{sessionUuid}` and validates it as `parseSession` does. */
export declare function getSession(sessionUuid: string, options: GetSessionOptions): Promise<Session>;

/** Exchanges API keys for a token. */
export declare function authenticate(options: AuthenticateOptions): Promise<Authentication>;

/** A client that authenticates lazily, shares and renews its token, and re-authenticates once on a 401. */
export declare class SezzleClient {
  constructor(options: SezzleClientOptions);
  getSession(sessionUuid: string, options?: ClientGetSessionOptions): Promise<Session>;
  /**
   * The token the client uses now, authenticating first when it has none that will last
   * (one authentication, however many ask): for a backend that hands a browser a token.
   * A client made with a token rejects with `invalid_argument`.
   */
  authenticate(): Promise<Authentication>;
}

/** The defaults of the request options. */
export declare const CLIENT_DEFAULTS: {
  readonly environment: "sandbox";
  readonly region: "us";
  readonly timeoutMs: number;
  readonly retries: number;
  readonly renewBeforeMs: number;
};
