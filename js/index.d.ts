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
  | "duplicate_tokenize";

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

/** What failed: the payload (`validation`), the caller's arguments, or the package itself. */
export type SezzleErrorKind = "validation" | "invalid_argument" | "internal";

export declare class SezzleError extends Error {
  private constructor();
  readonly name: "SezzleError";
  readonly kind: SezzleErrorKind;
  /** Every issue found (at most 100), for `kind: "validation"`. */
  readonly issues?: Issue[];
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
