// Types of `sezzle-session/slim`: every export of the package, and the two functions that
// load its parser module. Until one of them has, every function throws (or rejects with) a
// SezzleError of kind `invalid_argument`. The getSession module is loaded by the first
// getSession call, the client module by the first call of authenticate or SezzleClient, each
// from beside the package's files, or by init({ get }) and init({ client }).
export * from "./index.mjs";

/** What init() loads the module from. */
export type ModuleSource = string | URL | Request | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module;

/**
 * Loads the module: from beside `web/slim.js` when called with nothing, or from a URL, a
 * Request, a Response (or a promise of one), its bytes or a compiled WebAssembly.Module.
 * A second call does nothing. Rejects with a SezzleError: `network` or `http` when the URL
 * cannot be fetched, `invalid_argument` when the source is not the module (or a page's CSP
 * refuses WebAssembly: it must allow 'wasm-unsafe-eval').
 */
export declare function init(source?: ModuleSource | InitOptions): Promise<void>;

/** Where each module comes from; any may be left out (the parser's is then beside web/slim.js). */
export interface InitOptions {
  /** The parser module's source. */
  parser?: ModuleSource;
  /** The client module (authenticate, SezzleClient), loaded now: `true` from beside its chunk, or from the source given. */
  client?: true | ModuleSource;
  /** The getSession module, loaded now: `true` from beside its chunk, or from the source given. */
  get?: true | ModuleSource;
}

/** Compiles and instantiates the module now, from its bytes or a WebAssembly.Module (Node, workers). */
export declare function initSync(source: BufferSource | WebAssembly.Module): void;
