// Types of `sezzle-session/mock` (Node only): the mock Sezzle gateway for your own tests.

/** A scripted answer for the next matching request. */
export interface MockFault {
  /** Answer with this status (and `body`, `headers`). */
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long first. */
  delayMs?: number;
  /** Drop the connection. */
  reset?: true;
  /** Cut a 200 body short. */
  truncate?: true;
  /** Answer a 32 MiB body, with its content-length (`true`) or chunked. */
  oversized?: true | "chunked";
}

export interface MockRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  at: number;
  /** The client hung up before the answer was complete. */
  cancelled: boolean;
}

export interface MockGatewayOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The API keys it accepts; default DEMO_KEYS. */
  keys?: { publicKey: string; privateKey: string };
  /** How long its tokens last; default 120 minutes, as Sezzle's. */
  tokenTtlMs?: number;
  /** The sessions it serves, by uuid; default the package's fixtures (the documentation's example first). */
  sessions?: Map<string, object>;
}

export interface MockGateway {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** `http://127.0.0.1:PORT/v2`: pass it as `baseUrl`. */
  readonly baseUrl: string;
  readonly keys: { publicKey: string; privateKey: string };
  /** Every request seen (CORS preflights aside). */
  readonly requests: MockRequest[];
  /** Queues faults for the next requests matching `method` and `path`, one per request. */
  fault(method: string, path: RegExp, ...faults: MockFault[]): void;
  /** A valid token, as if authentication had happened. */
  issueToken(ttlMs?: number): string;
  /** Every token issued so far expires now (the next call gets a 401). */
  expireTokens(): void;
  /** Forgets faults and requests. */
  reset(): void;
  /** Stops it, dropping open connections. */
  close(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the mock on 127.0.0.1. Rejects with a TypeError for an option of the wrong type (keys, sessions, tokenTtlMs, port), a RangeError for a port that is not 0 to 65535. */
export declare function startMockGateway(options?: MockGatewayOptions): Promise<MockGateway>;

/** Runs it until SIGINT or SIGTERM, printing its URL, the demo keys and its sessions (`sezzle-session mock`). */
export declare function serveMockGateway(options?: { port?: number; urlFile?: string; log?: (line: string) => void }): Promise<MockGateway>;

/** The keys the mock accepts unless told otherwise. */
export declare const DEMO_KEYS: { readonly publicKey: string; readonly privateKey: string };
export declare const DEMO_MERCHANT_UUID: string;

/** The sessions the mock serves by default: every valid fixture by its file name without `.json` (`order-only`), and by its uuid (where fixtures share one, the first: the seed's example for its own). */
export declare function fixtureSessions(): Map<string, object>;
