// One compiled module's instances, a generation at a time: a glue and its instance. The
// package has two modules (the parser's and the client's) and each has a host of its own, so
// a failure of one never retires the other's calls.
//
// `createGlue(onFailure)` makes a glue of its own (wasm-bindgen's JS side, made a factory by
// scripts/build-pkg.mjs) each time it is called. When an instance fails (a trap, the stack
// running out inside it), its generation is retired: every call still in flight on it settles
// at once with kind internal, nothing it scheduled enters any instance again (the glue's
// closures return at once), and the next call gets a new generation. Generations share
// nothing but the compiled module, so no late callback of an old instance can read or write a
// new one.
import { STACK_OUT, SezzleError } from "./errors.js";

export class Host {
  #createGlue;
  #module;
  #onAdopt;
  /** How many generations were made: the number of the current one. */
  #made = 0;

  /**
   * `onAdopt(generation)` is told of each generation made current, the first one included.
   * `what` names the module ("parser", "client", "getSession"), whose export `marker` it must
   * have, and `foreign` one it must not (another module's, whose glue differs): another
   * module, given where this one belongs (slim's init takes any), is refused here, not at its
   * first call.
   */
  constructor(createGlue, module, onAdopt, [what, marker, foreign]) {
    const names = WebAssembly.Module.exports(module).map(({ name }) => name);
    if (!names.includes(marker)) {
      throw new SezzleError("invalid_argument", `sezzle-session: the module given is not the ${what} module (it has no ${marker})`);
    }
    if (foreign !== undefined && names.includes(foreign)) {
      throw new SezzleError("invalid_argument", `sezzle-session: the module given is not the ${what} module (it has ${foreign}: another of the package's modules)`);
    }
    this.#createGlue = createGlue;
    this.#module = module;
    this.#onAdopt = onAdopt;
    this.#adopt(this.#newGeneration());
  }

  #newGeneration() {
    const made = { calls: new Set(), retired: false };
    const glue = this.#createGlue((error) => this.fail(made, error));
    const exports = glue.initSync(this.#module);
    made.wasm = Object.freeze(glue.exports);
    made.memory = exports.memory;
    made.retire = glue.retire;
    made.calling = glue.calling;
    made.number = this.#made++;
    return made;
  }

  // The generation becomes current only once its owner has taken it: where the stack runs out
  // in onAdopt (seen in Firefox), the failed generation stays current, and the next call makes
  // another, rather than leave the owner on one instance and this host on another.
  #adopt(made) {
    this.#onAdopt(made);
    this.gen = made;
  }

  // Retires generation `g` after `error`: its glue stops entering its instance, its calls in
  // flight fail, and the next call gets a new generation. Called where the stack may be at
  // its end: the failure is noted first (a plain assignment can always be made), and what
  // cannot be done here for want of stack is done by the next call that comes in, or by the
  // next trap reported from the old instance's own callbacks. (Only the current generation
  // can fail: one is replaced only once retired.)
  fail(g, error) {
    if (g.retired) return;
    g.failure ??= error;
    try {
      this.renewIfStale();
    } catch {}
  }

  /** The current generation, replaced if it failed (retired first, if it was not yet). */
  renewIfStale() {
    const gen = this.gen;
    // A call into the instance that never returned, and was never reported (the glue's mark,
    // scripts/build-pkg.mjs): the stack ran out inside it, a failure like any other. (Asked
    // only between calls: the parser's instance calls no JS back, so nothing can come in while
    // one of its calls runs.)
    if (gen.calling()) gen.failure ??= STACK_OUT;
    if (gen.failure === undefined) return;
    if (!gen.retired) {
      gen.retire();
      for (const call of gen.calls) call.fail(gen.failure);
      gen.calls.clear();
      gen.retired = true;
    }
    try {
      this.#adopt(this.#newGeneration());
    } catch (cause) {
      // Each later call tries again; none runs on the failed instance meanwhile.
      throw new SezzleError("internal", "the WebAssembly module failed, and a fresh instance of it could not be made", { cause });
    }
  }

  /** What the package's own tests reach for: the instance's functions, memory and number. */
  internals() {
    return Object.freeze({ wasm: () => this.gen.wasm, memory: () => this.gen.memory, generation: () => this.gen.number });
  }
}
