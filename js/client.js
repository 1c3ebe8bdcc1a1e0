// The gateway client's JavaScript face (src/client/, its exports in src/client/exports.rs),
// over the client module: a WebAssembly module of its own, which the entries compile on the
// first client call (js/lazy.js), apart from the parser's.
//
// The module checks the options, sends the requests and decides every failure. This side
// reads the caller's options once into a plain object (so nothing the caller made is
// reached from inside the module but what it must call: fetch, onEvent), refuses strings
// over their limits before any is copied into the module, listens to the caller's signals
// (one listener per signal, however many calls share it), keeps each call in flight
// tied to its generation, turns the module's plain error objects into SezzleErrors cleaned
// of the secrets it names (js/redact.js walks a cause chain, which Rust cannot), and parses
// a fetched body as parseSession parses bytes.

import { SezzleError, invalidArgument, isFailure, guardedAsync, guardedError } from "./errors.js";
import { Host } from "./host.js";
import { LIMITS, SESSION_UUID } from "./client.generated.js";
import { scrub } from "./redact.js";
import { attempt, wait, ABORTED } from "../src/client/attempt.js";

function tooLong(name, what, limit) {
  return invalidArgument(`${name}: ${what} is longer than ${limit} characters`);
}

function checkUuid(name, sessionUuid) {
  if (typeof sessionUuid === "string" && sessionUuid.length > LIMITS.sessionUuid) throw tooLong(name, "sessionUuid", LIMITS.sessionUuid);
}

// The caller's options, read once: `{ signal, read }`, `signal` the caller's AbortSignal,
// `read` the other own enumerable properties' keys and values in order (what sameOptions
// compares, and plainOf makes the module's object of); `{ plain }` for anything that is not
// an options object, which goes to the module as it is, to say what is wrong with it. A value
// whose getter throws is read as one that throws the same when the module reads it, so the
// module's messages and their order stay its own.
function readOptions(name, options) {
  if (options === null || typeof options !== "object") return { plain: options };
  let keys;
  try {
    if (Array.isArray(options)) return { plain: options };
    keys = Object.keys(options);
  } catch (cause) {
    throw new SezzleError("invalid_argument", `${name}: options could not be read (a Proxy trap threw)`, { cause });
  }
  const read = { keys: [], values: [], causes: undefined };
  let signal;
  for (const key of keys) {
    // No option's name is this long: cut, it is refused as unknown all the same.
    const shown = key.length > LIMITS.optionName ? key.slice(0, LIMITS.optionName + 1) : key;
    let value;
    try {
      value = options[key];
    } catch (cause) {
      (read.causes ??= new Map()).set(read.keys.length, cause);
      read.keys.push(shown);
      read.values.push(THREW);
      continue;
    }
    const limit = Object.hasOwn(LIMITS.options, key) ? LIMITS.options[key] : undefined;
    if (typeof value === "string" && limit !== undefined && value.length > limit) throw tooLong(name, `options.${key}`, limit);
    if (key === "headers") value = readHeaders(name, value);
    if (typeof value === "function" && isRevoked(value)) throw invalidArgument(`${name}: options.${key} could not be read (a revoked Proxy, or a trap that throws)`);
    if (key === "signal" && isSignal(value)) {
      signal = value;
      continue;
    }
    read.keys.push(shown);
    read.values.push(value);
  }
  return { signal, read };
}

// What the module reads of options readOptions read: a null-prototype object of the same
// properties (the signal left out when it is one), or the options themselves when they are
// no options object. Made only when the module is to read them: a getSession call with the
// options of the last one needs none.
function plainOf({ plain, read }) {
  if (read === undefined) return plain;
  const made = Object.create(null);
  for (let i = 0; i < read.keys.length; i++) {
    if (read.values[i] === THREW) {
      const cause = read.causes.get(i);
      Object.defineProperty(made, read.keys[i], { enumerable: true, configurable: true, get: () => { throw cause; } });
    } else {
      Object.defineProperty(made, read.keys[i], { value: read.values[i], enumerable: true, writable: true, configurable: true });
    }
  }
  return made;
}

// What a getter that threw was read as: never the same as anything.
const THREW = Symbol("threw");

// A plain object of headers, copied (the module checks names and values); anything else
// as it is, for the module to refuse.
function readHeaders(name, headers) {
  let entries;
  try {
    if (headers === null || typeof headers !== "object") return headers;
    const proto = Object.getPrototypeOf(headers);
    if (proto !== null && proto !== Object.prototype) return headers;
    entries = Object.entries(headers);
  } catch {
    return headers;
  }
  // (The module's words for these: src/client/session.rs, check_headers.)
  if (entries.length > LIMITS.headers) throw invalidArgument(`${name}: headers: more than ${LIMITS.headers} are given`);
  const copy = Object.create(null);
  for (const [key, value] of entries) {
    if (key.length > LIMITS.headerName) throw tooLong(name, "headers: a header name", LIMITS.headerName);
    if (typeof value === "string" && value.length > LIMITS.headerValue) throw tooLong(name, "headers: a header value", LIMITS.headerValue);
    copy[key] = value;
  }
  return copy;
}

// Whether two readings of options (readOptions) hold the same keys and values, the
// headers' too (readHeaders' copies); a getter that threw is never the same.
function sameOptions(a, b) {
  if (a.read === undefined || b.read === undefined) return a.read === b.read && a.plain === b.plain;
  const x = a.read;
  const y = b.read;
  if (x.keys.length !== y.keys.length) return false;
  for (let i = 0; i < x.keys.length; i++) {
    const key = x.keys[i];
    const v = x.values[i];
    const w = y.values[i];
    if (key !== y.keys[i] || v === THREW) return false;
    if (v !== w && !(key === "headers" && sameHeaders(v, w))) return false;
  }
  return true;
}

// Whether two copies of headers (readHeaders') hold the same names and values.
function sameHeaders(a, b) {
  const copy = (h) => h !== null && typeof h === "object" && Object.getPrototypeOf(h) === null;
  if (!copy(a) || !copy(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

// The options the module reads, with the signal of the call's own controller.
// (A signal the caller gave that is none stays, for the module to refuse.)
function withSignal(plain, signal) {
  if (signal === undefined) return plain;
  if (plain === undefined || plain === null) plain = Object.create(null);
  if (typeof plain === "object" && !("signal" in plain)) plain.signal = signal;
  return plain;
}

// A revoked Proxy of a function is still typeof "function"; only touching it tells.
function isRevoked(value) {
  try {
    Reflect.getPrototypeOf(value);
    return false;
  } catch {
    return true;
  }
}

// An AbortSignal, native or not: `aborted`, `addEventListener` and `removeEventListener`.
function isSignal(value) {
  try {
    return value !== null && typeof value === "object" && typeof value.aborted === "boolean" && typeof value.addEventListener === "function" && typeof value.removeEventListener === "function";
  } catch {
    return false;
  }
}

// The caller's signals, each listened to once however many calls it ends: a signal →
// the controllers of the calls in flight that it ends, and its one listener. A listener
// outlives its calls only as a function that finds nothing to do (a signal whose
// removeEventListener does nothing keeps it), and throws nothing into the signal's dispatch.
const relays = new WeakMap();

// A signal's reason, undefined when reading it throws.
function reasonOf(signal) {
  try {
    return signal.reason;
  } catch {
    return undefined;
  }
}

function relayOf(signal) {
  let relay = relays.get(signal);
  if (relay !== undefined) return relay;
  const controllers = new Set();
  const listener = () => {
    try {
      if (controllers.size === 0) return;
      const reason = reasonOf(signal);
      const ended = [...controllers];
      controllers.clear();
      for (const controller of ended) controller.abort(reason);
    } catch {}
  };
  relay = { controllers, listener };
  relays.set(signal, relay);
  return relay;
}

// Ends `controller` when `signal` fires (at once if it has); returns what stops that.
function follow(signal, controller) {
  let aborted = false;
  try {
    aborted = signal.aborted === true;
  } catch {}
  if (aborted) {
    controller.abort(reasonOf(signal));
    return () => {};
  }
  const relay = relayOf(signal);
  if (relay.controllers.size === 0) {
    try {
      signal.addEventListener("abort", relay.listener);
    } catch {} // a signal whose addEventListener throws is one that will not be heard
  }
  relay.controllers.add(controller);
  return () => {
    if (!relay.controllers.delete(controller) || relay.controllers.size > 0) return;
    try {
      signal.removeEventListener("abort", relay.listener);
    } catch {}
  };
}

const NO_SIGNALS = Object.freeze([]);
// A number the attempt gave, as a number; anything else NaN, read without calling into it.
const numberOr = (n) => (typeof n === "number" ? n : NaN);

// What getSession and the client's calls share, over instances of a client module
// (`createGlue` its glue factory, `module` the compiled WebAssembly.Module; js/host.js keeps
// its generations). `parsed` is the parser's (js/api.js): a fetched body is handed to the
// parser module as bytes. `kind` is the module's name and an export only it has (js/host.js):
// the client module serves getSession too, the getSession module nothing else.
function clientBase(createGlue, module, parsed, kind) {
  const host = new Host(createGlue, module, () => {}, kind);

  // What the module rejected with: its error object, or anything else (a trap) as internal.
  function clientError(name, raw) {
    if (raw instanceof SezzleError) return raw;
    if (raw !== null && typeof raw === "object" && Object.getPrototypeOf(raw) === Object.prototype && typeof raw.kind === "string" && Array.isArray(raw.secrets)) {
      const { kind, message, secrets, ...details } = raw;
      return scrub(new SezzleError(kind, message, details), secrets);
    }
    if (isFailure(raw)) host.fail(host.gen, raw);
    // Never the module's own error object as a cause: it names the secrets.
    const cause = raw !== null && typeof raw === "object" && "secrets" in raw ? undefined : raw;
    return new SezzleError("internal", `${name}: ${raw instanceof Error ? raw.message : "the client failed"}`, cause === undefined ? {} : { cause });
  }

  // One call of the client on the current generation: `start(signal)` calls the module,
  // with the signal of a controller of this call's own that the caller's `signals` end.
  // The promise settles once: with the module's answer, or with kind internal when the
  // generation is retired first (what the module does after that goes nowhere).
  function inFlight(name, start, signals = []) {
    const g = host.gen;
    let call;
    const promise = new Promise((resolve, reject) => (call = { resolve, reject }));
    let controller;
    let unfollow;
    for (const signal of signals) {
      if (signal === undefined) continue;
      controller ??= new AbortController();
      (unfollow ??= []).push(follow(signal, controller));
    }
    const done = () => {
      g.calls.delete(call);
      if (unfollow !== undefined) for (const stop of unfollow) stop();
    };
    // (Where the stack may be at its end: the error is made before anything changes, so a
    // call that could not be failed now is failed whole by the next try.)
    call.fail = (cause) => {
      call.reject(new SezzleError("internal", `${name}: the WebAssembly module failed while this call was in flight; call again`, { cause }));
      done();
    };
    g.calls.add(call);
    let answer;
    try {
      answer = start(controller?.signal);
    } catch (raw) {
      done();
      call.reject(clientError(name, raw));
      return promise;
    }
    answer.then(
      (value) => {
        if (!g.calls.has(call)) return;
        done();
        call.resolve(value);
      },
      (raw) => {
        if (!g.calls.has(call)) return;
        done();
        call.reject(clientError(name, raw));
      },
    );
    return promise;
  }

  // A fetched body: the session, or the validation error, its message led by the request.
  // What the request was and the secrets the error is cleaned of are asked of `source`
  // (`source.what(key)`, `source.secrets()`: a SessionGetter and the session's uuid, or a
  // SessionCall), for an error only.
  function sessionOf(status, body, source, key) {
    let result;
    try {
      result = parsed(body, true);
    } catch (error) {
      throw scrub(error, source.secrets());
    }
    if (result.error === undefined) return result.session;
    const error = result.error;
    error.message = `${source.what(key)}: ${error.message}`;
    error.status = status;
    throw scrub(error, source.secrets());
  }

  // Throws when generation `g` failed while call `name` waited: the call ends there, without
  // entering the failed instance again.
  const live = (g, name) => {
    if (g.failure !== undefined) throw new SezzleError("internal", `${name}: the WebAssembly module failed while this call was in flight; call again`);
  };

  // getSession's attempts, stepped through the module (SessionGetter, src/client/exports.rs):
  // the module says where each attempt goes, what each answer means and how long to wait
  // before the next; attempt.js sends them, as it does for the module's own loop. Resolves
  // the session or rejects with a SezzleError, always: attempt and wait always settle, and a
  // call whose generation failed meanwhile fails at its next step, without entering the
  // failed instance again. (So it needs no inFlight to settle it: that costs a call 10 µs,
  // `make bench`; it is used only to follow a caller's signal.)
  async function sessionCall(held, sessionUuid, signal) {
    const { g, getter } = held;
    const signals = signal === undefined ? NO_SIGNALS : [signal];
    try {
      for (let retry = 0; ; retry++) {
        // A uuid the module's rule takes goes after the prefix the module gave (plan); any
        // other, the first call's and a call with a hook go through the module's start.
        const prefix = held.plan?.[4];
        const url = prefix !== undefined && typeof sessionUuid === "string" && SESSION_UUID.test(sessionUuid) ? prefix + sessionUuid : getter.start(sessionUuid, retry);
        const [fetch, init, timeout, max] = (held.plan ??= getter.plan());
        const started = Date.now();
        const got = await attempt(fetch ?? globalThis.fetch, url, init, signals, timeout, max);
        live(g, "getSession");
        const status = got[1];
        const pause = getter.after(sessionUuid, retry, started, got, got[0], numberOr(status), numberOr(got[5]));
        if (pause === undefined) return sessionOf(status, got[6], getter, sessionUuid);
        const waited = await wait(undefined, pause, signals);
        live(g, "getSession");
        if (waited[0] === ABORTED) throw getter.aborted(sessionUuid, waited[1]);
      }
    } catch (raw) {
      throw clientError("getSession", raw);
    }
  }

  // Makes `run`'s failures SezzleErrors, and renews a stale generation first.
  function starting(name, run) {
    try {
      host.renewIfStale();
      return run();
    } catch (raw) {
      return Promise.reject(clientError(name, raw));
    }
  }

  // The module's reading of the last getSession options (its SessionGetter), kept for the
  // calls that give the same ones: a server makes its calls with one base URL and token.
  let last;

  function getterFor(options) {
    const g = host.gen;
    if (last !== undefined && last.g === g && sameOptions(last.options, options)) return last;
    // (The getter it replaces is not freed here: calls in flight still step through it.
    // Its finalizer frees it once none holds it.)
    last = { g, options, getter: g.wasm.session_getter(plainOf(options)), plan: undefined };
    return last;
  }

  /** The session, fetched with a token and validated. */
  const getSession = guardedAsync((sessionUuid, options) =>
    starting("getSession", () => {
      checkUuid("getSession", sessionUuid);
      const read = readOptions("getSession", options);
      const held = getterFor(read);
      if (read.signal === undefined) return sessionCall(held, sessionUuid, undefined);
      return inFlight("getSession", (s) => sessionCall(held, sessionUuid, s), [read.signal]);
    }),
  );

  return { host, clientError, inFlight, sessionOf, live, starting, getSession };
}

/**
 * getSession's API over instances of the getSession module (the crate's `js-get` exports,
 * which browsers load for getSession: js/web/get-inline.js and get-file.js). The rest of the
 * client is createClientApi's, which a bundle of getSession alone leaves out.
 */
export function createSessionApi(createGlue, module, parsed) {
  const { host, getSession } = clientBase(createGlue, module, parsed, ["getSession", "session_getter", "authenticate"]);
  return { getSession, internals: host.internals() };
}

/** The client's API (getSession, authenticate, SezzleClient) over instances of the client module. */
export function createClientApi(createGlue, module, parsed) {
  const { host, clientError, inFlight, sessionOf, live, starting, getSession } = clientBase(createGlue, module, parsed, ["client", "authenticate"]);

  // client.getSession's attempts, stepped through the module as sessionCall's are (a
  // SessionCall, src/client/exports.rs), after the module says the call has its token (at
  // once, or once an authentication it may share with other calls ends); a -1 from `after`
  // is a 401 to a client with keys: a new token, and the request sent again. Called inside
  // inFlight (it follows the client's and the call's signals into the call's own, in `call`),
  // which fails the call at once if its generation does; this stops at its next step then.
  async function clientSessionCall(call) {
    const g = host.gen;
    try {
      for (;;) {
        const authenticating = call.token();
        if (authenticating !== undefined) await authenticating;
        live(g, "client.getSession");
        for (let retry = 0; ; retry++) {
          const [fetch, url, init, timeout, max, signals] = call.start(retry);
          const started = Date.now();
          const got = await attempt(fetch, url, init, signals, timeout, max);
          live(g, "client.getSession");
          const status = got[1];
          const pause = call.after(retry, started, got, got[0], numberOr(status), numberOr(got[5]));
          if (pause === undefined) return sessionOf(status, got[6], call);
          if (pause < 0) break;
          const waited = await wait(undefined, pause, signals);
          live(g, "client.getSession");
          if (waited[0] === ABORTED) throw call.aborted(waited[1]);
        }
      }
    } finally {
      if (g.failure === undefined) call.free();
    }
  }

  /** A token for the merchant's keys: `{ token, expiration_date, merchant_uuid }`. */
  const authenticate = guardedAsync((options) =>
    starting("authenticate", () => {
      const given = readOptions("authenticate", options);
      const [plain, signal] = [plainOf(given), given.signal];
      return inFlight("authenticate", (s) => host.gen.wasm.authenticate(withSignal(plain, s)), [signal]);
    }),
  );

  class SezzleClient {
    #client;
    #generation;
    #signal;

    constructor(options) {
      try {
        host.renewIfStale();
        const given = readOptions("SezzleClient", options);
        const [plain, signal] = [plainOf(given), given.signal];
        try {
          this.#client = new host.gen.wasm.GatewayClient(plain);
        } catch (raw) {
          throw clientError("SezzleClient", raw);
        }
        this.#generation = host.gen;
        this.#signal = signal;
      } catch (error) {
        throw guardedError(error);
      }
    }

    // The client's own state lives in the instance it was made in.
    #call(name, sessionUuid, options, run) {
      return starting(name, () => {
        if (this.#generation !== host.gen) {
          throw new SezzleError("internal", `${name}: the WebAssembly module was replaced after a failure, and this client's state with it; make a new SezzleClient`);
        }
        checkUuid(name, sessionUuid);
        const given = readOptions(name, options);
        const [plain, signal] = [plainOf(given), given.signal];
        return inFlight(name, (s) => run(this.#client, withSignal(plain, s)), [this.#signal, signal]);
      });
    }

    /** The session, fetched with a token that is authenticated lazily and renewed. */
    getSession(sessionUuid, options) {
      try {
        return this.#call("client.getSession", sessionUuid, options, (client, plain) => clientSessionCall(client.session_call(sessionUuid, plain)));
      } catch (error) {
        throw guardedError(error);
      }
    }

    /** The token the client uses now (authenticating first when it has none that will last). */
    authenticate() {
      try {
        return this.#call("client.authenticate", undefined, undefined, (client) => client.authenticate());
      } catch (error) {
        throw guardedError(error);
      }
    }
  }
  Object.defineProperty(SezzleClient, "name", { value: "SezzleClient" }); // as SezzleError's

  return { getSession, authenticate, SezzleClient, internals: host.internals() };
}
