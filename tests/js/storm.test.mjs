// A storm of generated hostile inputs through the packed package: random bytes, truncations,
// mutations, deep nesting, lone surrogates, numbers JSON cannot carry, duplicate and
// __proto__ keys, and exotic objects. Whatever comes in: no trap (the instance is never
// replaced), nothing thrown but a SezzleError of kind validation, safeParseSession never
// throws, no prototype changes, and the seed parses to the same session afterwards.
// Deterministic: the generator is seeded, so a failure names an input that can be replayed.
import test from "node:test";
import assert from "node:assert/strict";
import { cjs, esm, fixtureJson, fixtureText, memory } from "./packed.mjs";

const seedText = fixtureText("valid/seed.json");
const seedBytes = new TextEncoder().encode(seedText);
const seedObject = fixtureJson("valid/seed.json");

function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  return { next, int, pick };
}

const { int, pick, next } = generator(0x5e221e);

function insertAt(text, at, piece) {
  return text.slice(0, at) + piece + text.slice(at);
}

// Where a value may go in the seed: just after a `:`.
const valueSpots = [...seedText.matchAll(/:\s*/g)].map((m) => m.index + m[0].length);
// Just after a `{`: where a member may be added.
const memberSpots = [...seedText.matchAll(/\{/g)].map((m) => m.index + 1);

const HUGE = ["1e400", "-1e400", "1e-400", "123456789012345678901234567890e999", "0.0000e99999", "-0", "1E+308", "9".repeat(400)];
const TRAPS = ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "defineProperty", "set", "apply"];

function exoticObject() {
  const kind = int(10);
  const thrown = pick([new Error("trap"), "a string", undefined, null, 42, Symbol("s"), { toString: () => { throw new Error("again"); } }]);
  switch (kind) {
    case 0: {
      const handler = {};
      for (const trap of TRAPS) if (next() < 0.5) handler[trap] = () => { throw thrown; };
      return new Proxy(next() < 0.5 ? structuredClone(seedObject) : new Uint8Array(seedBytes), handler);
    }
    case 1: {
      const { proxy, revoke } = Proxy.revocable(structuredClone(seedObject), {});
      revoke();
      return next() < 0.5 ? proxy : { ...seedObject, order: proxy };
    }
    case 2: {
      const bytes = new Uint8Array(seedBytes.slice(0, int(seedBytes.length + 1)));
      Object.defineProperty(bytes, "length", { value: pick([-1, 0, 2 ** 32 - 1, 1e9, NaN, seedBytes.length * 4, -(2 ** 31)]) });
      return bytes;
    }
    case 3:
      return { [Symbol.toStringTag]: "Uint8Array", length: int(5000) - 100, byteLength: int(5000), 0: 123 };
    case 4:
      return pick([new Int8Array(seedBytes), new Uint16Array(8), new DataView(new ArrayBuffer(8)), new ArrayBuffer(16), Object.create(Uint8Array.prototype), new Uint8ClampedArray(seedBytes)]);
    case 5: {
      const object = structuredClone(seedObject);
      Object.defineProperty(object.order, "uuid", { enumerable: true, get: () => { throw thrown; } });
      return object;
    }
    case 6: {
      // toJSON answers something different every time it is asked.
      let calls = 0;
      return { toJSON: () => (calls++ % 2 === 0 ? seedObject : pick([null, 1, "x", [], undefined, 10n])) };
    }
    case 7: {
      // An array that claims a huge length.
      return { uuid: "s", links: new Proxy([], { get: (t, k) => (k === "length" ? pick([1e6, 2 ** 32 - 1, -1]) : { href: "https://checkout.sezzle.com/", method: "GET", rel: "x" }) }) };
    }
    case 8: {
      // A value JSON cannot carry, somewhere in the session.
      const object = structuredClone(seedObject);
      object.order[pick(["uuid", "extra", "intent"])] = pick([Infinity, -Infinity, NaN, 10n, Symbol("s"), () => 1, "s\ud800", new Date(NaN)]);
      return object;
    }
    default: {
      const object = structuredClone(seedObject);
      let at = object;
      for (let i = int(400); i > 0; i--) at = at[pick(["a", "b"])] = next() < 0.5 ? {} : [];
      return object;
    }
  }
}

// Each generator makes one input of its kind.
const kinds = {
  "random bytes": () => {
    const bytes = new Uint8Array(int(300));
    for (let i = 0; i < bytes.length; i++) bytes[i] = next() < 0.5 ? int(256) : pick([0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x3a, 0x2c, 0x5c, 0xed, 0xa0, 0xc0, 0xff]);
    return bytes;
  },
  "truncations": () => {
    const cut = int(seedText.length);
    return next() < 0.5 ? seedText.slice(0, cut) : seedBytes.slice(0, cut);
  },
  "mutations": () => {
    const bytes = seedBytes.slice();
    for (let i = 1 + int(4); i > 0; i--) bytes[int(bytes.length)] = int(256);
    return next() < 0.5 ? bytes : new TextDecoder().decode(bytes);
  },
  "deep nesting": () => {
    const depth = 100 + int(3000);
    const open = pick(["[", '{"a":', '{"uuid":"s","x":[']);
    const close = open === "[" ? "]" : open === '{"a":' ? "}" : "]}";
    const text = `${open.repeat(depth)}1${close.repeat(next() < 0.9 ? depth : int(depth))}`;
    return next() < 0.5 ? text : new TextEncoder().encode(text);
  },
  "lone surrogates": () => {
    const half = String.fromCharCode(0xd800 + int(0x800));
    const spot = pick(valueSpots);
    const text = next() < 0.5 ? insertAt(seedText, spot + 1, half) : insertAt(seedText, spot + 1, `\\u${half.charCodeAt(0).toString(16)}`);
    if (next() < 0.3) return new TextEncoder().encode(text); // a raw half becomes U+FFFD here, and is valid
    return text;
  },
  "huge numbers": () => {
    const number = pick(HUGE);
    const text = next() < 0.5 ? insertAt(seedText, pick(memberSpots), `"n":${number},`) : insertAt(seedText, pick(valueSpots), `${number} `);
    return next() < 0.5 ? text : new TextEncoder().encode(text);
  },
  "duplicate and __proto__ keys": () => {
    const key = pick(["__proto__", "uuid", "constructor", "prototype", "order", "links", "tokenize", "toString"]);
    const value = pick(['{"polluted":true}', "null", '"s"', "[]", '{"uuid":"x"}', "1"]);
    const text = insertAt(seedText, pick(memberSpots), `"${key}":${value},`);
    const form = int(3);
    if (form === 0) return text;
    if (form === 1) return new TextEncoder().encode(text);
    try {
      return JSON.parse(text); // JSON.parse makes "__proto__" an own key
    } catch {
      return text;
    }
  },
  "exotic objects": exoticObject,
};
const PER_KIND = 1_300;

function assertPlain(session) {
  assert.equal(Object.getPrototypeOf(session), Object.prototype);
  assert.ok(Array.isArray(session.links));
  for (const part of [session.order, session.tokenize]) {
    if (part !== undefined) assert.equal(Object.getPrototypeOf(part), Object.prototype);
  }
  for (const link of session.links) assert.equal(Object.getPrototypeOf(link), Object.prototype);
}

test(`a storm of ${Object.keys(kinds).length * PER_KIND} hostile inputs: no trap, only SezzleError, no prototype change`, (t) => {
  const before = esm.parseSession(seedText);
  const instance = memory();
  const prototypes = [Object.prototype, Array.prototype, String.prototype, Function.prototype];
  const ownNames = prototypes.map((p) => Object.getOwnPropertyNames(p).sort().join());
  const counts = {};
  for (const [kind, make] of Object.entries(kinds)) {
    const count = (counts[kind] = { inputs: 0, valid: 0, refused: 0 });
    for (let i = 0; i < PER_KIND; i++) {
      const input = make();
      const api = i % 5 === 0 ? cjs : esm;
      let result;
      try {
        result = api.safeParseSession(input);
      } catch (error) {
        assert.fail(`${kind} #${i}: safeParseSession threw ${String(error)}`);
      }
      count.inputs += 1;
      if (result.success) {
        count.valid += 1;
        assertPlain(result.data);
        for (const url of [api.checkoutUrl, api.approvalUrl]) {
          try {
            const got = url(result.data);
            assert.ok(got === undefined || /^https?:\/\//.test(got));
          } catch (error) {
            assert.ok(error instanceof api.SezzleError && error.kind === "validation", `${kind} #${i}: ${error}`);
          }
        }
      } else {
        count.refused += 1;
        assert.ok(result.error instanceof esm.SezzleError, `${kind} #${i}: ${result.error}`);
        assert.equal(result.error.kind, "validation", `${kind} #${i}: ${result.error.message}`);
        assert.ok(result.error.issues.length > 0);
        // parseSession throws nothing else (an input that changes between reads, such as a
        // toJSON that answers differently each time, may pass the second time).
        try {
          api.parseSession(input);
        } catch (error) {
          assert.ok(error instanceof api.SezzleError && error.kind === "validation", `${kind} #${i}: ${error}`);
        }
      }
    }
    t.diagnostic(`${kind}: ${count.inputs} inputs, ${count.valid} valid, ${count.refused} refused`);
  }
  const total = Object.values(counts).reduce((sum, c) => sum + c.inputs, 0);
  t.diagnostic(`total: ${total} inputs`);
  assert.ok(total >= 10_000);
  // Every kind produced refusals, and the kinds that can stay valid did too: the storm is not
  // all one answer.
  for (const [kind, { refused }] of Object.entries(counts)) assert.ok(refused > 0, `${kind}: nothing refused`);
  assert.ok(counts["duplicate and __proto__ keys"].valid > 0 && counts["huge numbers"].valid > 0);
  assert.equal(memory(), instance, "the module trapped: its instance was replaced");
  assert.deepEqual(prototypes.map((p) => Object.getOwnPropertyNames(p).sort().join()), ownNames);
  assert.equal({}.polluted, undefined);
  assert.deepEqual(esm.parseSession(seedText), before);
  assert.deepEqual(cjs.parseSession(seedText), before);
});
