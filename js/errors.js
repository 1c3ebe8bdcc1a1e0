// SezzleError, and the guards that keep every export's failures SezzleErrors at any stack
// depth: what both of the package's modules (the parser's and the client's) share.

const DETAILS = ["status", "apiErrors", "debugUuid", "retryAfterMs", "issues", "attempts"];

/** A value's kind for messages: "null", "array", or its typeof. */
export function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

// import and require each load their own copy of the package, each with its own instance
// (a shared global would be one that code running first could plant): an error from either
// copy is `instanceof` both copies' SezzleError.
const BRAND = Symbol.for("sezzle-session.SezzleError");
const ordinaryInstanceOf = Function.prototype[Symbol.hasInstance];

export class SezzleError extends Error {
  static [Symbol.hasInstance](value) {
    if (ordinaryInstanceOf.call(this, value)) return true;
    if (this !== SezzleError || typeof value !== "object" || value === null) return false;
    try {
      return value[BRAND] === true;
    } catch {
      return false; // a Proxy whose trap throws is no SezzleError
    }
  }

  constructor(kind, message, details = {}) {
    if (typeof details !== "object" || details === null) details = {};
    super(typeof message === "string" ? message : describeMessage(message), "cause" in details ? { cause: details.cause } : undefined);
    this.kind = kind;
    for (const key of DETAILS) if (details[key] !== undefined) this[key] = details[key];
  }

  /** What `JSON.stringify` and loggers show: name, kind, message and the details. */
  toJSON() {
    const json = { name: this.name, kind: this.kind, message: this.message };
    for (const key of DETAILS) if (this[key] !== undefined) json[key] = this[key];
    return json;
  }
}
// Defined, not assigned: under frozen intrinsics (SES lockdown) assigning a name that
// Error.prototype holds throws.
Object.defineProperty(SezzleError.prototype, "name", { value: "SezzleError", writable: true, configurable: true });
// As written, whatever a bundler renames the binding to (esbuild makes SezzleError2 of a name
// it sees twice).
Object.defineProperty(SezzleError, "name", { value: "SezzleError" });
Object.defineProperty(SezzleError.prototype, BRAND, { value: true });

/** A message that is not a string, as text, whatever it is (a symbol, a lying toString). */
export function describeMessage(message) {
  try {
    return String(message);
  } catch {
    return `(a ${describe(message)} that cannot be read as text)`;
  }
}

export function invalidArgument(message) {
  return new SezzleError("invalid_argument", message);
}

// The engine's error for the stack's end: V8's and JavaScriptCore's RangeError, SpiderMonkey's
// InternalError ("too much recursion"; only it has that global, and its RangeErrors are others).
const StackError = globalThis.InternalError ?? RangeError;
export const isStackError = (error) => error instanceof StackError;

// A failure of the module itself, not of its input: a trap, or the stack running out.
export function isFailure(error) {
  try {
    return error instanceof WebAssembly.RuntimeError || error instanceof StackError;
  } catch (thrown) {
    // A replaced WebAssembly global, a Proxy's trap: no failure. The stack's end, met while
    // asking: one.
    return thrown instanceof StackError;
  }
}

// At the very end of the JS stack even making an error can run out of stack: this one, made
// in advance, is thrown then. Frozen, as it is shared.
const STACK_MESSAGE = "sezzle-session: the JavaScript stack ran out during this call; call again from a shallower depth";
export const STACK_OUT = Object.freeze(
  new SezzleError("internal", STACK_MESSAGE, { issues: Object.freeze([Object.freeze({ path: Object.freeze([]), code: "invalid_input", message: STACK_MESSAGE })]) }),
);

// What an exported function throws: the SezzleError it made; anything else (a bug) as kind
// internal; STACK_OUT for the stack's end, or when even that cannot be made.
export function guardedError(error) {
  if (typeof error === "object" && error !== null && error[BRAND] === true) return error;
  try {
    if (!isStackError(error)) return new SezzleError("internal", `sezzle-session failed: ${describeMessage(error?.message ?? error)}`, { cause: error });
  } catch {}
  return STACK_OUT;
}

// An exported function that throws only SezzleErrors, at any stack depth.
export function guarded(f) {
  return function (...args) {
    try {
      return f.apply(this, args);
    } catch (error) {
      // (Inline: where even calling guardedError runs out of stack, STACK_OUT is thrown; an
      // assignment and a throw need none.)
      let thrown = STACK_OUT;
      try {
        thrown = guardedError(error);
      } catch {}
      throw thrown;
    }
  };
}

// The same for a function that returns a promise: it rejects with SezzleErrors only, or, with
// the stack at its end, throws STACK_OUT.
export function guardedAsync(f) {
  return function (...args) {
    try {
      try {
        return f.apply(this, args);
      } catch (error) {
        return Promise.reject(guardedError(error));
      }
    } catch (error) {
      let thrown = STACK_OUT;
      try {
        thrown = guardedError(error);
      } catch {}
      throw thrown;
    }
  };
}

/**
 * A SezzleError for a module that could not be compiled or instantiated; a Content Security
 * Policy that refused it is named, with what the page's policy must allow.
 */
export function loadError(error, kind = "invalid_argument", what = "the WebAssembly module") {
  const text = String(error?.message ?? error);
  const csp = /unsafe-eval|Content Security Policy/i.test(text)
    ? " (the page's Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src)"
    : "";
  return new SezzleError(kind, `sezzle-session: ${what} could not be loaded: ${text}${csp}`, { cause: error });
}

