// Parsing in-process against a hostile caller: inputs that lie about themselves, exotic
// objects, values that only some forms of JSON can carry, memory that a result keeps alive,
// and a module that traps. Each test fails on 0.1.0.
import test from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startMockGateway } from "./mock.mjs";
import { cjs, consumer, esm, fixture, fixtureJson, fixtureText, memory, root } from "./packed.mjs";

const SEED_UUID = "fadbc642-05a4-4e38-9e74-80e325623af9";
const seedText = fixtureText("valid/seed.json");
const topLevelSeed = fixtureJson("valid/tokenize-top-level.json");

/** The error `parseSession` throws for `input`, checked to be a SezzleError; and that safeParseSession agrees. */
function refusal(input, api = esm) {
  let thrown;
  try {
    api.parseSession(input);
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof api.SezzleError, `not a SezzleError: ${String(thrown)}`);
  let result;
  assert.doesNotThrow(() => (result = api.safeParseSession(input)));
  assert.equal(result.success, false);
  assert.ok(result.error instanceof api.SezzleError);
  assert.deepEqual(result.error.issues, thrown.issues);
  return thrown;
}

// --- 4. a Uint8Array whose length lies ------------------------------------------------------

test("a Uint8Array that claims to be longer than it is never reads an earlier caller's bytes", () => {
  assert.equal(esm.parseSession(fixture("valid/seed.json")).tokenize.token, topLevelSeed.tokenize.token);
  const liar = new Uint8Array(0);
  Object.defineProperty(liar, "length", { value: seedText.length });
  const error = refusal(liar);
  assert.equal(error.kind, "validation");
  assert.equal(error.issues[0].code, "invalid_json");
  assert.doesNotMatch(JSON.stringify(error), new RegExp(topLevelSeed.tokenize.token));
  // A few real bytes, and a length that says more: only the real bytes are read.
  const short = new TextEncoder().encode('{"uuid":"x"}');
  Object.defineProperty(short, "length", { value: 5000 });
  assert.deepEqual(esm.parseSession(short), { uuid: "x", links: [] });
});

test("a negative or absurd length neither traps the module nor breaks later calls, in ESM and CommonJS", () => {
  for (const api of [esm, cjs]) {
    for (const length of [-1, -(2 ** 31), 2 ** 32 - 1, NaN, Infinity]) {
      const liar = new TextEncoder().encode(seedText);
      Object.defineProperty(liar, "length", { value: length });
      assert.equal(api.parseSession(liar).uuid, SEED_UUID, `length ${length}`);
    }
    assert.deepEqual(api.parseSession(seedText), topLevelSeed);
  }
});

test("if the module ever traps, that call fails with kind internal and the next one gets a fresh instance", () => {
  const before = memory();
  // Wreck the instance's memory (its RefCell flags, its allocator): the next call into it
  // panics, a real trap, after which the old instance could never answer again.
  new Uint8Array(before.buffer).fill(0xab);
  let error;
  try {
    esm.parseSession(seedText);
  } catch (caught) {
    error = caught;
  }
  assert.ok(error instanceof esm.SezzleError, String(error));
  assert.equal(error.kind, "internal");
  assert.ok(error.cause instanceof WebAssembly.RuntimeError, String(error.cause));
  assert.notEqual(memory(), before, "the instance was not replaced");
  assert.deepEqual(esm.parseSession(seedText), topLevelSeed);
  assert.deepEqual(esm.parseSession(fixture("valid/seed.json")), topLevelSeed);
  assert.equal(esm.checkoutUrl(seedText), topLevelSeed.order.checkout_url);
});

test("calls made with the JS stack nearly exhausted never leave the package dead", () => {
  const seed = JSON.parse(seedText);
  const at = (n, fn) => (n > 0 ? at(n - 1, fn) + 0 : fn());
  for (let i = 0; i < 2000; i++) at(100, () => 0); // optimised frames, as a busy process has
  const deepest = () => {
    let [lo, hi] = [0, 1e6];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      try {
        at(mid, () => 0);
        lo = mid;
      } catch {
        hi = mid - 1;
      }
    }
    return lo;
  };
  // Each call starts nearer the stack's end than the last, so that one of them runs out of
  // stack inside the module, or while the package replaces its instance; after each, a call
  // from a normal depth must still parse.
  for (let round = 0; round < 6; round++) {
    const max = deepest();
    for (let back = 0; back < 1500; back++) {
      try {
        at(max - back, () => {
          try {
            esm.parseSession(round % 2 ? seed : seedText);
          } catch {}
        });
      } catch {}
      const after = esm.safeParseSession(seedText);
      assert.ok(after.success, `round ${round}, ${back} frames from the end: ${after.error?.message} (${after.error?.cause})`);
    }
  }
});

test("the handle the package gives its own tests cannot change what the API calls", () => {
  const functions = esm.parseSession[Symbol.for("sezzle-session.internals")].wasm();
  assert.ok(Object.isFrozen(functions));
  assert.throws(() => {
    functions.safe_url = () => 0;
  }, TypeError);
  assert.throws(() => esm.checkoutUrl({ uuid: "s", order: { uuid: "o", checkout_url: "https://evil.example/pay" } }));
});

// --- 5. only SezzleError, and safeParseSession never throws ---------------------------------

test("exotic values give a validation error from parseSession and { success: false } from safeParseSession", () => {
  const thrower = () => {
    throw new Error("trap");
  };
  const everyTrap = Object.fromEntries(
    ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "defineProperty", "set", "deleteProperty"].map((t) => [t, thrower]),
  );
  const revocable = Proxy.revocable({ uuid: "s" }, {});
  revocable.revoke();
  const throwsItself = new Proxy({}, { get(target, key, receiver) { throw receiver; } });
  const throwsString = new Proxy({ uuid: "s" }, { get() { throw "a string, not an Error"; } });
  const hostile = {
    "a Proxy whose every trap throws": new Proxy({}, everyTrap),
    "a Proxy of a Uint8Array whose every trap throws": new Proxy(new Uint8Array(4), everyTrap),
    "a revoked Proxy": revocable.proxy,
    "a Proxy that throws itself": throwsItself,
    "a Proxy that throws a string": throwsString,
    "an object faking the Uint8Array tag": { [Symbol.toStringTag]: "Uint8Array", length: 10, 0: 123 },
    "an object whose prototype is Uint8Array's": Object.create(Uint8Array.prototype),
    "a getter that throws undefined": { get uuid() { throw undefined; } },
    "a toJSON that throws": { toJSON() { throw new Error("toJSON"); } },
  };
  for (const [name, input] of Object.entries(hostile)) {
    for (const api of [esm, cjs]) {
      const error = refusal(input, api);
      assert.equal(error.kind, "validation", name);
      assert.ok(error.issues.length > 0, name);
    }
  }
  for (const name of ["a Proxy whose every trap throws", "a revoked Proxy", "a Proxy that throws itself", "a Proxy that throws a string", "a getter that throws undefined", "a toJSON that throws"]) {
    assert.equal(refusal(hostile[name]).issues[0].code, "invalid_input", name);
  }
  assert.deepEqual(esm.parseSession(seedText), topLevelSeed);
});

test("hostile options and link lists give invalid_argument, never a raw throw", () => {
  const session = esm.parseSession(seedText);
  const throwing = new Proxy([], { get() { throw new Error("trap"); } });
  const options = [{ get allowedHosts() { throw "no"; } }, { allowedHosts: throwing }, { allowedHosts: new Array(1e6).fill("a.example") }];
  for (const option of options) {
    assert.throws(() => esm.checkoutUrl(session, option), (e) => e instanceof esm.SezzleError && e.kind === "invalid_argument");
  }
  // A list that answers a safe host when checked and another when used is read once.
  let reads = 0;
  const twoFaced = new Proxy(["checkout.sezzle.com"], { get: (t, k) => (k === "0" ? (reads++ === 0 ? "checkout.sezzle.com" : "") : t[k]) });
  assert.equal(esm.checkoutUrl(session, { allowedHosts: twoFaced }), topLevelSeed.order.checkout_url);
  assert.equal(reads, 1);
  assert.throws(() => esm.findLink(throwing, "self"), (e) => e instanceof esm.SezzleError && e.kind === "invalid_argument");
});

// --- 6. one verdict whatever the form -------------------------------------------------------

/** `text` as a string, as UTF-8 bytes and, when JSON.parse reads it, as the object it reads to. */
function forms(text) {
  const list = [["string", text], ["bytes", new TextEncoder().encode(text)]];
  try {
    list.push(["object", JSON.parse(text)]);
  } catch {}
  return list;
}

test("a lone surrogate is refused as a raw character, as an escape, in bytes and in an object", () => {
  const inputs = [
    ...forms('{"uuid":"s\\ud800"}'), // the escape (JSON.parse reads it; so does the object form)
    ["raw string", '{"uuid":"s\ud800"}'],
    ["raw low half", '{"uuid":"s\udc00x"}'],
    ["raw, in a key", '{"uuid":"s","\ud800":1}'],
    ["object key", { uuid: "s", ["k\udfff"]: 1 }],
    ["surrogate bytes", new Uint8Array([...new TextEncoder().encode('{"uuid":"s'), 0xed, 0xa0, 0x80, 0x22, 0x7d])],
  ];
  assert.ok(inputs.length >= 8);
  for (const [form, input] of inputs) {
    const error = refusal(input);
    assert.equal(error.kind, "validation", form);
    assert.ok(["invalid_json", "invalid_input"].includes(error.issues[0].code), `${form}: ${error.issues[0].code}`);
  }
  // Where the object form knows the path, the issue says it.
  assert.deepEqual(refusal({ uuid: "s", order: { uuid: "o\ud800" } }).issues[0].path, ["order", "uuid"]);
  const raw = refusal('{\n  "uuid": "s\ud800"\n}').issues[0];
  assert.deepEqual([raw.code, raw.line, raw.column], ["invalid_json", 2, 13]);
  // A well-formed pair is of course fine, in every form.
  for (const [form, input] of forms('{"uuid":"s\\ud83d\\ude00"}')) assert.equal(esm.parseSession(input).uuid, "s😀", form);
});

test("a number JSON cannot carry is refused as text, as bytes and as an object", () => {
  for (const [form, input] of forms('{"uuid":"s","extra":1e400}')) {
    assert.equal(refusal(input).kind, "validation", form);
  }
  for (const value of [Infinity, -Infinity, NaN]) {
    const error = refusal({ uuid: "s", order: { uuid: "o", amount: value } });
    assert.equal(error.issues[0].code, "invalid_input");
    assert.deepEqual(error.issues[0].path, ["order", "amount"]);
  }
  for (const value of [10n, Symbol("s"), () => 1]) {
    assert.equal(refusal({ uuid: "s", links: [{ extra: value }] }).issues[0].code, "invalid_input");
  }
  // A Number or String object is read as the primitive inside it, held to the same rules.
  for (const boxed of [new Number(Infinity), Object.assign(new Number(1), { valueOf: () => NaN }), new String("o\ud800")]) {
    const error = refusal({ uuid: "s", order: { uuid: "o", extra: boxed } });
    assert.equal(error.issues[0].code, "invalid_input");
    assert.deepEqual(error.issues[0].path, ["order", "extra"]);
  }
  // Large but finite numbers are read as JSON.parse reads them, in every form.
  for (const [form, input] of forms('{"uuid":"s","extra":1e300}')) assert.equal(esm.parseSession(input).uuid, "s", form);
});

test("the depth limit is the README's, to the level, for text, bytes and objects", () => {
  const limit = Number(readFileSync(join(root, "README.md"), "utf8").match(/nesting deeper than (\d+) levels is `too_deep`/)[1]);
  const nested = (levels) => `{"uuid":"s","x":${"[".repeat(levels - 1)}${"]".repeat(levels - 1)}}`;
  for (const [form, input] of forms(nested(limit))) assert.equal(esm.parseSession(input).uuid, "s", `${form} at ${limit}`);
  for (const [form, input] of forms(nested(limit + 1))) {
    assert.equal(refusal(input).issues[0].code, "too_deep", `${form} at ${limit + 1}`);
  }
  // Very deep: still too_deep, for an object too (JSON.stringify alone overflows its stack).
  let deep = {};
  for (let i = 0; i < 10_000; i++) deep = { next: deep };
  const error = refusal({ uuid: "s", deep });
  assert.equal(error.issues[0].code, "too_deep");
  assert.match(error.message, new RegExp(`deeper than ${limit} levels`));
  assert.equal(refusal(`${"[".repeat(10_000)}${"]".repeat(10_000)}`).issues[0].code, "too_deep");
});

test("an object over 1 MiB as JSON is refused as too_large without reading it all", () => {
  let reads = 0;
  const long = new Proxy([], { get: (t, k) => (k === "length" ? 100_000 : (reads++, "x".repeat(64))) });
  assert.equal(refusal({ uuid: "s", links: long }).issues[0].code, "too_large");
  assert.ok(reads < 2 * 17_000, `${reads} elements read`); // 1 MiB is ~16,000 of them, read twice
  reads = 0;
  const endless = new Proxy([], { get: (t, k) => (k === "length" ? 2 ** 32 - 1 : (reads++, "x".repeat(64))) });
  assert.equal(refusal({ uuid: "s", links: endless }).issues[0].code, "too_large");
  assert.ok(reads < 2 * 17_000, `${reads} elements read`);
  assert.equal(refusal({ uuid: "s", links: new Array(1e9) }).issues[0].code, "too_large");
});

// --- 7. memory a result keeps alive ---------------------------------------------------------

// Run in a child process with --expose-gc: the heap that 30 kept results hold, after a full
// GC, in MiB. Asynchronous: the mock gateway answers from this process meanwhile.
async function retainedMegabytes(script, env = {}) {
  const child = spawn(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], {
    cwd: consumer,
    env: { ...process.env, ...env },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const [code] = await once(child, "close");
  assert.equal(code, 0, err);
  return Number(out.trim());
}

// The seed, padded with spaces to 1 MiB (as a gateway or a proxy might), in the child.
const PADDED = `const seed = ${JSON.stringify(seedText)};
  const padded = (i) => seed.slice(0, -2) + " ".repeat(1024 * 1024 - seed.length - 16 - i) + "}\\n";`;

test("30 sessions fetched from 1 MiB bodies hold their own values, not the bodies", async () => {
  const gateway = await startMockGateway();
  try {
    for (let i = 0; i < 30; i++) gateway.fault("GET", /^\/v2\/session\//, { status: 200, body: `${seedText.slice(0, -2)}${" ".repeat(1024 * 1024 - seedText.length - 16)}}\n` });
    const megabytes = await retainedMegabytes(
      `import { getSession } from "sezzle-session";
      const keep = [];
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 30; i++) keep.push(await getSession("${SEED_UUID}", { baseUrl: process.env.BASE, token: process.env.TOKEN, retries: 0 }));
      gc();
      if (keep.some((s) => s.tokenize.token !== ${JSON.stringify(topLevelSeed.tokenize.token)})) throw new Error("wrong session");
      console.log((process.memoryUsage().heapUsed - before) / 2 ** 20);`,
      { BASE: gateway.baseUrl, TOKEN: gateway.issueToken() },
    );
    assert.ok(megabytes < 5, `30 sessions hold ${megabytes.toFixed(1)} MiB`);
  } finally {
    gateway.close();
  }
});

test("30 sessions parsed from 1 MiB texts of the caller's hold their own values too", async () => {
  const megabytes = await retainedMegabytes(
    `import { parseSession } from "sezzle-session";
    ${PADDED}
    const keep = [];
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 30; i++) keep.push(parseSession(padded(i)));
    gc();
    if (keep.some((s) => s.tokenize.token !== ${JSON.stringify(topLevelSeed.tokenize.token)})) throw new Error("wrong session");
    console.log((process.memoryUsage().heapUsed - before) / 2 ** 20);`,
  );
  assert.ok(megabytes < 5, `30 sessions hold ${megabytes.toFixed(1)} MiB`);
});

test("objects that lie to the quick reading: each value is read once and the session is what was read", () => {
  const seed = fixtureJson("valid/seed.json");
  // A Proxy that answers a valid uuid on the first read and a broken one after: read once,
  // the session holds the first answer (the text reading is never reached).
  let reads = 0;
  const shifty = new Proxy(structuredClone(seed), {
    get(target, key, receiver) {
      if (key === "uuid") return reads++ === 0 ? target.uuid : "not an id";
      return Reflect.get(target, key, receiver);
    },
  });
  assert.equal(esm.parseSession(shifty).uuid, SEED_UUID);
  assert.equal(reads, 1);
  // A Proxy whose keys lie: a key it lists twice (the language refuses it), one it lists but
  // has not, one it has but hides. The first two are refused as an unreadable object; a hidden
  // key is absent, as JSON.stringify would have it.
  const twice = new Proxy(structuredClone(seed), { ownKeys: (target) => [...Reflect.ownKeys(target), "uuid"] });
  assert.equal(refusal(twice).issues[0].code, "invalid_input");
  const phantom = new Proxy(structuredClone(seed), {
    ownKeys: (target) => [...Reflect.ownKeys(target), "phantom"],
    getOwnPropertyDescriptor: (target, key) => (key === "phantom" ? { value: 1, enumerable: true, configurable: true } : Reflect.getOwnPropertyDescriptor(target, key)),
  });
  const withPhantom = esm.safeParseSession(phantom);
  assert.equal(withPhantom.success, true); // (its value reads as undefined: absent)
  assert.equal(JSON.stringify(withPhantom.data), JSON.stringify(esm.parseSession(seed)));
  const hidden = new Proxy(structuredClone(seed), { ownKeys: (target) => Reflect.ownKeys(target).filter((k) => k !== "order") });
  const result = esm.safeParseSession(hidden);
  assert.equal(result.success, true);
  assert.equal(result.data.order, undefined);
  // A revoked Proxy inside, and a getter that throws: refused with a SezzleError, and the
  // instance goes on parsing.
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const withRevoked = { ...structuredClone(seed), order: proxy };
  assert.equal(refusal(withRevoked).issues[0].code, "invalid_input");
  assert.equal(esm.parseSession(seed).uuid, SEED_UUID);
  // A links array whose length lies (a Proxy over an array claiming billions): the quick
  // reading stops at its first missing link, the text reading at the size limit.
  let itemReads = 0;
  const endless = new Proxy([], { get: (target, key) => (key === "length" ? 4e9 : (itemReads++, Reflect.get(target, key))) });
  const { success, error } = esm.safeParseSession({ ...structuredClone(seed), links: endless });
  assert.equal(success, false);
  assert.equal(error.issues[0].code, "too_large");
  assert.ok(itemReads < 2e6, `${itemReads} reads`);
});

// Code that ran first may plant keys on Object.prototype (a prototype pollution): the
// package's own results (a parse's session or error, its warnings) are not looked up through
// it, an option is an own property (a planted allowedHosts widens no host), and the client's
// file, loaded by the first client call, loads with an enumerable key planted. Each entry, in
// a child process (the planted keys would reach the test runner too). The client fetches
// through an injected fetch whose answers were made before the keys were planted (Node's own
// fetch fails on a planted `error`).
test("keys planted on Object.prototype (error, session, warnings, allowedHosts) change no parse, no URL check and no fetch", async () => {
  const script = (load) => `${load}
    const seed = ${JSON.stringify(seedText)};
    const answers = [0, 1].map(() => new Response(seed, { status: 200, headers: { "content-type": "application/json" } }));
    const options = { baseUrl: "https://gateway.sezzle.com/v2", token: "t", retries: 0, fetch: async () => answers.pop() };
    const evil = { uuid: "s", links: [], order: { uuid: "o", checkout_url: "https://evil.example/pay", links: [] } };
    for (const key of ["error", "session", "warnings"]) Object.defineProperty(Object.prototype, key, { value: new Error("planted " + key), configurable: true, writable: true });
    Object.prototype.allowedHosts = ["evil.example"];
    const out = {};
    const settle = (f) => { try { const r = f(); return r && typeof r.then === "function" ? r.then((v) => v, (e) => "threw " + e.kind) : r; } catch (e) { return "threw " + e.kind; } };
    out.parsed = settle(() => m.parseSession(seed).uuid);
    out.bytes = settle(() => m.parseSession(new TextEncoder().encode(seed)).uuid);
    out.object = settle(() => m.parseSession(JSON.parse(seed)).uuid);
    const safe = m.safeParseSession(seed);
    out.safe = [safe.success, Object.hasOwn(safe, "warnings") && safe.warnings.length, safe.data?.uuid];
    const invalid = m.safeParseSession('{"uuid": 1}');
    out.invalid = [invalid.success, invalid.error.kind, invalid.error.issues.length];
    out.checkout = settle(() => m.checkoutUrl(seed, {}));
    out.evil = settle(() => m.checkoutUrl(evil, {}));
    out.fetched = await settle(() => m.getSession(${JSON.stringify(SEED_UUID)}, options).then((s) => s.uuid));
    out.client = await settle(() => new m.SezzleClient(options).getSession(${JSON.stringify(SEED_UUID)}).then((s) => s.uuid));
    for (const key of ["error", "session", "warnings", "allowedHosts"]) delete Object.prototype[key];
    console.log(JSON.stringify(out));`;
  for (const [label, args, code] of [
    ["import", ["--input-type=module", "-e"], script('import * as m from "sezzle-session";')],
    ["require", ["-e"], `(async () => { ${script('const m = require("sezzle-session");')} })();`],
  ]) {
    const child = spawn(process.execPath, [...args, code], { cwd: consumer });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const [status] = await once(child, "close");
    assert.equal(status, 0, `${label}: ${err}`);
    const seed = JSON.parse(seedText);
    const expected = { parsed: SEED_UUID, bytes: SEED_UUID, object: SEED_UUID, safe: [true, 1, SEED_UUID], invalid: [false, "validation", 1], checkout: seed.order.checkout_url, evil: "threw validation", fetched: SEED_UUID, client: SEED_UUID };
    assert.deepEqual(JSON.parse(out), expected, label);
  }
});
