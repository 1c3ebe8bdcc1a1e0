// Types of `sezzle-session/slim`: every export of the package, and the two functions that
// load its module. Until one of them has, every function throws (or rejects with) a
// SezzleError of kind `invalid_argument`, and CLIENT_DEFAULTS is undefined.
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
export declare function init(source?: ModuleSource): Promise<void>;

/** Compiles and instantiates the module now, from its bytes or a WebAssembly.Module (Node, workers). */
export declare function initSync(source: BufferSource | WebAssembly.Module): void;
