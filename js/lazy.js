// The client's exports as every entry gives them: getSession, authenticate and SezzleClient
// over a client module (js/client.js) that is loaded on the first call of any of them.
// Importing the package compiles only the parser module.
//
// Each is made by a call marked pure, so that an app that uses none of them drops them, and
// with them the loader and the dynamic import() of the client's chunk: a parse-only build
// holds no byte of the client (tests/bundlers checks it).
import { STACK_OUT, SezzleError, guardedAsync, guardedError, loadError } from "./errors.js";

const INTERNALS = Symbol.for("sezzle-session.internals");

/**
 * The loader of the client module (or, in browsers, of the getSession module: `what` names
 * it in errors): `load()` gives the client's API (createClientApi), either at once (Node: the
 * client's file, required and its module compiled synchronously) or as a promise (browsers: a
 * chunk fetched with import(), the module compiled asynchronously). A load that fails is tried
 * again by the next call. `onMade(loader)`, if given, is told of the loader.
 */
export function clientLoader(load, onMade, what = "the client module") {
  let api;
  let loading;
  const failed = (error) => (error instanceof SezzleError ? error : loadError(error, "internal", what));
  // The API, or a promise of it.
  function loaded() {
    if (api !== undefined) return api;
    if (loading !== undefined) return loading;
    let got;
    try {
      got = load();
    } catch (error) {
      throw failed(error);
    }
    if (!(got instanceof Promise)) return (api = got);
    loading = got.then(
      (made) => (api = made),
      (error) => {
        loading = undefined;
        throw failed(error);
      },
    );
    return loading;
  }
  // `use(api)`, now if the API is here, else once it is.
  const withApi = (use) => {
    const now = loaded();
    return now instanceof Promise ? now.then(use) : use(now);
  };
  const loader = { loaded, withApi, current: () => api, started: () => api !== undefined || loading !== undefined };
  onMade?.(loader);
  return loader;
}

/** The client function `name` (getSession, authenticate), loading the module first. */
export function lazyAsync(loader, name) {
  // (Both client functions take at most two arguments; once the module is loaded, a call
  // goes straight to it.)
  const exported = guardedAsync((a, b) => {
    const now = loader.loaded();
    return now instanceof Promise ? now.then((api) => api[name](a, b)) : now[name](a, b);
  });
  if (name === "getSession") {
    // For the package's own tests: the client module's instance (js/host.js, internals), once
    // loaded (`await load()`).
    const internals = () => loader.current().internals;
    Object.defineProperty(exported, INTERNALS, {
      value: Object.freeze({
        load: () => Promise.resolve(loader.withApi(() => undefined)),
        wasm: () => internals().wasm(),
        memory: () => internals().memory(),
        generation: () => internals().generation(),
      }),
    });
  }
  return exported;
}

/**
 * SezzleClient. Where the module loads synchronously (Node, or once loaded) the constructor
 * checks the options and throws as it always did; where it is still on its way (a browser's
 * first client use) the client is made when it arrives, and a bad option rejects each call.
 */
export function lazyClass(loader) {
  class SezzleClient {
    // The client of the loaded module, or a promise of it.
    #inner;

    constructor(options) {
      try {
        const now = loader.loaded();
        if (!(now instanceof Promise)) {
          this.#inner = new now.SezzleClient(options);
          return;
        }
        const made = now.then((api) => (this.#inner = new api.SezzleClient(options)));
        made.catch(() => {}); // (its failure is each call's)
        this.#inner = made;
      } catch (error) {
        // (As errors.js's guarded: STACK_OUT where even calling guardedError runs out.)
        let thrown = STACK_OUT;
        try {
          thrown = guardedError(error);
        } catch {}
        throw thrown;
      }
    }

    // Each method calls into the client itself, under its own guard: a call made from the
    // method (to a helper) could be the one that runs out of stack, past any guard below it.

    /** The session, fetched with a token that is authenticated lazily and renewed. */
    getSession(sessionUuid, options) {
      try {
        const inner = this.#inner;
        const call = (client) => client.getSession(sessionUuid, options);
        return inner instanceof Promise ? inner.then(call) : call(inner);
      } catch (error) {
        let thrown = STACK_OUT;
        try {
          thrown = guardedError(error);
        } catch {}
        throw thrown;
      }
    }

    /** The token the client uses now (authenticating first when it has none that will last). */
    authenticate() {
      try {
        const inner = this.#inner;
        const call = (client) => client.authenticate();
        return inner instanceof Promise ? inner.then(call) : call(inner);
      } catch (error) {
        let thrown = STACK_OUT;
        try {
          thrown = guardedError(error);
        } catch {}
        throw thrown;
      }
    }
  }
  Object.defineProperty(SezzleClient, "name", { value: "SezzleClient" }); // as SezzleError's
  return SezzleClient;
}
