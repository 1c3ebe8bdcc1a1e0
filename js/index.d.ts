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

/** What every SezzleError has, whatever its kind. */
export interface SezzleErrorBase extends Error {
  readonly name: "SezzleError";
  readonly kind: SezzleErrorKind;
  /** `{ name, kind, message, ...details }`; never a token or key. */
  toJSON(): Record<string, unknown>;
}

// Each kind declares the other kinds' details as optional `undefined`, so that code reading
// `error.issues` or `error.status` of a SezzleError it has not narrowed compiles (the value is
// then `undefined` on a kind that lacks it), and narrowing by `kind` still gives each its type.

/** The payload (or a fetched body) is not a valid session. */
export interface SezzleValidationError extends SezzleErrorBase {
  readonly kind: "validation";
  /** Every issue found (at most 100); never empty. */
  readonly issues: Issue[];
  /** The HTTP status, when the body was fetched. */
  readonly status?: number;
  readonly apiErrors?: undefined;
  readonly debugUuid?: undefined;
  readonly retryAfterMs?: undefined;
  readonly attempts?: undefined;
}

/** The gateway answered a status that is not a success, or a redirect that was refused. */
export interface SezzleHttpError extends SezzleErrorBase {
  readonly kind: "http";
  /** The HTTP status. A refused redirect has its 3xx status, or 0 where it is hidden (a browser's opaque redirect). */
  readonly status: number;
  /** Sezzle's error objects, when the body held them. */
  readonly apiErrors?: ApiError[];
  /** The first `debug_uuid` among `apiErrors`: quote it to Sezzle's support. */
  readonly debugUuid?: string;
  /** The gateway's `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number;
  /** How many requests were sent. */
  readonly attempts?: number;
  readonly issues?: undefined;
}

/** No answer: the connection failed (`network`) or every attempt ran out of time (`timeout`). */
export interface SezzleTransportError extends SezzleErrorBase {
  readonly kind: "network" | "timeout";
  /** How many requests were sent. */
  readonly attempts?: number;
  readonly issues?: undefined;
  readonly status?: undefined;
  readonly apiErrors?: undefined;
  readonly debugUuid?: undefined;
  readonly retryAfterMs?: undefined;
}

/** The caller's signal ended the call (`aborted`), an argument or option is wrong (`invalid_argument`), or the package failed (`internal`). */
export interface SezzlePlainError extends SezzleErrorBase {
  readonly kind: "aborted" | "invalid_argument" | "internal";
  readonly issues?: undefined;
  readonly status?: undefined;
  readonly apiErrors?: undefined;
  readonly debugUuid?: undefined;
  readonly retryAfterMs?: undefined;
  readonly attempts?: undefined;
}

/**
 * The one error class of the package, discriminated by `kind`: after
 * `error.kind === "http"`, `error.status` is a number; after `"validation"`, `error.issues`
 * is an array.
 */
export type SezzleError = SezzleValidationError | SezzleHttpError | SezzleTransportError | SezzlePlainError;

/** What a SezzleError made by hand may carry (`cause` as `Error`'s). */
export interface SezzleErrorDetails {
  issues?: Issue[];
  status?: number;
  apiErrors?: ApiError[];
  debugUuid?: string;
  retryAfterMs?: number;
  attempts?: number;
  cause?: unknown;
}

/**
 * The SezzleError class. Constructible, for tests of your own code (a fake `getSession` that
 * rejects as the real one does): `new SezzleError("http", "GET /v2/session/x: 404", { status: 404 })`.
 * `instanceof SezzleError` holds across the package's ES and CommonJS copies.
 */
export declare const SezzleError: {
  new (kind: "validation", message: string, details: SezzleErrorDetails & { issues: Issue[] }): SezzleValidationError;
  new (kind: "http", message: string, details: SezzleErrorDetails & { status: number }): SezzleHttpError;
  new (kind: "network" | "timeout", message: string, details?: SezzleErrorDetails): SezzleTransportError;
  new (kind: "aborted" | "invalid_argument" | "internal", message: string, details?: SezzleErrorDetails): SezzlePlainError;
  readonly prototype: SezzleError;
};

/** What the parsing functions accept: JSON text, UTF-8 JSON bytes, or a parsed object. */
export type SessionInput = string | Uint8Array | object;

export type SafeParseResult =
  | { success: true; data: Session; warnings: Issue[] }
  | { success: false; error: SezzleError & { readonly issues: Issue[] } };

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

/**
 * The Standard Schema v1 interface (https://standardschema.dev), as its spec asks libraries to
 * copy it: the same shape as `StandardSchemaV1` of `@standard-schema/spec`.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1.Props<Input, Output>;
}

export declare namespace StandardSchemaV1 {
  export interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    readonly types?: Types<Input, Output> | undefined;
  }
  export type Result<Output> = SuccessResult<Output> | FailureResult;
  export interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  export interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  export interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  export interface PathSegment {
    readonly key: PropertyKey;
  }
  export interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  export type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["input"];
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["output"];
}

/**
 * The session validator as a Standard Schema v1, for tRPC, form libraries and other
 * validators' adapters: `validate` answers `{ value: Session }` or `{ issues }` (each issue's
 * `message` and `path`), synchronously.
 */
export declare const sessionSchema: {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: "sezzle-session";
    readonly validate: (value: unknown) => StandardSchemaV1.Result<Session>;
    readonly types?: StandardSchemaV1.Types<unknown, Session> | undefined;
  };
};
