// parseSession and safeParseSession through the packed package, from ESM and CommonJS.
import test from "node:test";
import assert from "node:assert/strict";
import { cjs, esm, expectedSession, fixture, fixtureJson, fixtureText, memory, validFixtures } from "./packed.mjs";

const expectedIssues = fixtureJson("invalid/expected.json");
const topLevelSeed = fixtureJson("valid/tokenize-top-level.json");

for (const [system, api] of [["ESM", esm], ["CommonJS", cjs]]) {
  test(`${system}: the seed payload parses from a string, bytes and an object to one Session`, () => {
    const fromString = api.parseSession(fixtureText("valid/seed.json"));
    const fromBytes = api.parseSession(new Uint8Array(fixture("valid/seed.json")));
    const fromObject = api.parseSession(fixtureJson("valid/seed.json"));
    assert.deepEqual(fromString, topLevelSeed);
    assert.deepEqual(fromBytes, topLevelSeed);
    assert.deepEqual(fromObject, topLevelSeed);
    assert.equal(fromString.order.uuid, "12a34bc5-6de7-890f-g123-4hi1238jk902");
    assert.equal(fromString.tokenize.expiration, "2020-04-27T14:46:59.000Z");
  });

  test(`${system}: a bad payload throws SezzleError with every issue`, () => {
    assert.throws(
      () => api.parseSession(fixture("invalid/bad-links.json")),
      (error) =>
        error instanceof api.SezzleError &&
        error instanceof Error &&
        error.name === "SezzleError" &&
        error.kind === "validation" &&
        error.issues.length === 6 &&
        error.message.startsWith("invalid session: links[0].href:"),
    );
  });
}

test("every valid fixture parses, with no null left in the result", () => {
  for (const name of validFixtures) {
    const session = esm.parseSession(fixtureText(`valid/${name}`));
    assert.ok(!JSON.stringify(session).includes("null"), name);
  }
  const nulls = esm.parseSession(fixtureText("valid/null-optionals.json"));
  assert.deepEqual(nulls, { uuid: "fadbc642-05a4-4e38-9e74-80e325623af9", links: [], order: { uuid: "o-1", links: [] } });
  assert.ok(!("intent" in nulls.order) && !("tokenize" in nulls));
});

test("every bad fixture gives exactly its expected issues, with array paths", () => {
  for (const [name, want] of Object.entries(expectedIssues)) {
    const result = esm.safeParseSession(fixture(`invalid/${name}`));
    assert.equal(result.success, false, name);
    const got = result.error.issues.map(({ path, code }) => ({ path, code }));
    assert.deepEqual(got, want, name);
    for (const issue of result.error.issues) assert.equal(typeof issue.message, "string");
  }
});

test("malformed JSON reports its line and column", () => {
  const { error } = esm.safeParseSession('{\n  "uuid": "s",\n  "links": [\n    {"href": }\n  ]\n}');
  const [issue] = error.issues;
  assert.equal(issue.code, "invalid_json");
  assert.deepEqual([issue.line, issue.column], [4, 14]);
  assert.match(error.message, /line 4, column 14/);
});

test("input over 1 MiB is refused as too_large, as a string and as bytes", () => {
  const big = "x".repeat(esm.MAX_INPUT_BYTES + 1);
  for (const input of [big, new TextEncoder().encode(big), { uuid: big }]) {
    const { success, error } = esm.safeParseSession(input);
    assert.equal(success, false);
    assert.equal(error.issues[0].code, "too_large");
  }
});

test("safeParseSession never throws, whatever it is given", () => {
  const cyclic = { uuid: "s" };
  cyclic.self = cyclic;
  const hostile = [
    undefined, null, 0, -1.5, NaN, true, 10n, Symbol("s"), () => {}, [], [1, 2], "", "null", "[]",
    "x".repeat(3 * 1024 * 1024), new Uint8Array(0), new Uint8Array([0xff, 0xfe]), new Map(), new Date(), cyclic,
    { get uuid() { throw new Error("getter"); } },
    { toJSON() { throw new Error("toJSON"); } },
    { uuid: 1n },
    new Proxy({}, { ownKeys() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); } }),
    Object.create(null),
  ];
  for (const input of hostile) {
    let result;
    assert.doesNotThrow(() => { result = esm.safeParseSession(input); }, String(typeof input));
    assert.equal(result.success, false);
    assert.ok(result.error instanceof esm.SezzleError);
    assert.equal(result.error.kind, "validation");
    assert.ok(result.error.issues.length > 0);
  }
  // The instance is still fine afterwards.
  assert.equal(esm.parseSession(fixtureText("valid/seed.json")).uuid, topLevelSeed.uuid);
});

test("non-session inputs get a typed error at the root", () => {
  for (const input of [42, null, true, [1]]) {
    const { error } = esm.safeParseSession(input);
    assert.equal(error.issues[0].code, "invalid_type");
    assert.deepEqual(error.issues[0].path, []);
  }
  const { error } = esm.safeParseSession({ get uuid() { throw new Error("boom"); } });
  assert.equal(error.issues[0].code, "invalid_input");
});

test("warnings list unknown fields and a tokenize block found in order", () => {
  const seed = esm.safeParseSession(fixtureText("valid/seed.json"));
  assert.deepEqual(seed.warnings.map((w) => [w.path, w.code]), [[["order", "tokenize"], "tokenize_in_order"]]);
  const unknown = esm.safeParseSession(fixtureText("valid/unknown-fields.json"));
  assert.equal(unknown.success, true);
  assert.deepEqual(
    unknown.warnings.map((w) => w.path.join(".")).sort(),
    ["links.0.title", "merchant_note", "order.amount", "tokenize.customer"],
  );
  assert.ok(unknown.warnings.every((w) => w.code === "unknown_field"));
  assert.equal("merchant_note" in unknown.data, false);
});

test("warnings and issues keep every key and message exactly: a leading U+FEFF, astral characters, escapes, indexes", () => {
  // The module hands issues over as words and one text (src/error.rs, issue_words): a key
  // that starts that text with U+FEFF, or counts differently in UTF-8 and UTF-16, must not
  // shift what comes after it.
  const keys = ["\ufeffa", "😀b", "é\u200dc", "\ufeff"];
  const payload = { [keys[0]]: 0, uuid: "s", links: [{ href: "https://gateway.sezzle.com/v2/x", rel: "self", [keys[1]]: 1 }] };
  for (const key of keys.slice(1)) payload[key] = [key];
  for (const input of [JSON.stringify(payload), JSON.stringify(payload).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)]) {
    const { warnings } = esm.safeParseSession(input);
    assert.deepEqual(
      warnings.map((w) => [w.path, w.code, w.message]),
      [[keys[0]], ["links", 0, keys[1]], ...keys.slice(1).map((key) => [key])].map((path) => [path, "unknown_field", "is not a known field; it is left out of the result"]),
    );
  }
  payload.links[0].method = "FETCH";
  const { error } = esm.safeParseSession(JSON.stringify(payload));
  assert.deepEqual(error.issues, [{ path: ["links", 0, "method"], code: "invalid_enum", message: "expected one of GET, POST, PUT, PATCH, DELETE" }]);
  assert.equal(error.message, "invalid session: links[0].method: expected one of GET, POST, PUT, PATCH, DELETE");
});

test("a returned session is a plain object: keys, JSON, inspection and copies show its fields alone", async () => {
  const { inspect } = await import("node:util");
  const session = esm.parseSession(fixtureText("valid/seed.json"));
  assert.equal(Object.getPrototypeOf(session), Object.prototype);
  assert.deepEqual(Reflect.ownKeys(session), ["uuid", "links", "order", "tokenize"]);
  assert.deepEqual(JSON.parse(JSON.stringify(session)), structuredClone(session));
  assert.doesNotMatch(inspect(session, { showHidden: true, depth: 0 }), /produced|#/);
  // A copy is not the package's own session: it is validated whole, as any object is.
  const copy = { ...session, uuid: "" };
  assert.throws(() => esm.checkoutUrl(copy), (error) => error.kind === "validation" && error.issues[0].path[0] === "uuid");
  assert.equal(esm.checkoutUrl(session), session.order.checkout_url);
});

test("a __proto__ key never changes the prototype of anything returned", () => {
  const text = '{"uuid":"s","__proto__":{"polluted":true},"links":[{"href":"https://gateway.sezzle.com/v2/session/s","method":"GET","rel":"self","__proto__":{"polluted":true}}],"order":{"uuid":"o","__proto__":{"polluted":true}}}';
  for (const input of [text, JSON.parse(text)]) {
    const result = esm.safeParseSession(input);
    assert.equal(result.success, true);
    for (const object of [result.data, result.data.order, result.data.links[0], result.data.links]) {
      assert.equal(object.polluted, undefined);
    }
    assert.equal(Object.getPrototypeOf(result.data), Object.prototype);
    assert.equal(Object.getPrototypeOf(result.data.order), Object.prototype);
    assert.ok(result.warnings.some((w) => w.path.length === 1 && w.path[0] === "__proto__" && w.code === "unknown_field"));
  }
  assert.equal({}.polluted, undefined);
});

test("after 10,000 malformed inputs in a row the same instance still parses the seed", () => {
  const seed = fixtureText("valid/seed.json");
  let failures = 0;
  for (let i = 0; i < 10_000; i++) {
    const cut = seed.slice(0, i % seed.length) + String.fromCharCode(i % 128);
    const input = i % 3 === 0 ? new TextEncoder().encode(cut) : i % 3 === 1 ? cut : { uuid: i, links: cut };
    if (!esm.safeParseSession(input).success) failures++;
  }
  assert.ok(failures > 9_900);
  assert.deepEqual(esm.parseSession(seed), topLevelSeed);
});

test("the tape's reading gives the session Sezzle's rules make of JSON.parse's result, key order included", () => {
  const variants = (text) => {
    const object = JSON.parse(text);
    return [
      text,
      JSON.stringify(object),
      `\uFEFF${text}`,
      JSON.stringify(object).replaceAll("/", "\\/"),
      JSON.stringify(object).replace(/[a-f]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
      JSON.stringify({ order: null, links: null, ...object, tokenize: object.tokenize ?? null }),
      // Characters past ASCII (the tape then counts UTF-16 units), raw and escaped.
      JSON.stringify({ "nöte": "😀 ü", ...object }),
      JSON.stringify(object).replace(/"rel":"/g, '"rel":"é😀\\u00e9\\"'),
      // Links written in another key order, or without a method: href, method, rel, GET.
      JSON.stringify(object, (key, value) => (value && typeof value === "object" && "href" in value ? { rel: value.rel, method: value.method, href: value.href } : value)),
      JSON.stringify(object, (key, value) => (value && typeof value === "object" && value.method === "GET" ? { ...value, method: undefined } : value)),
    ];
  };
  for (const name of validFixtures) {
    for (const text of variants(fixtureText(`valid/${name}`))) {
      const results = [text, new TextEncoder().encode(text)].map((input) => esm.safeParseSession(input));
      for (const result of results) {
        assert.ok(result.success, `${name}: ${text.slice(0, 60)}`);
        assert.equal(JSON.stringify(result.data), JSON.stringify(expectedSession(text)), name);
      }
      assert.deepEqual(results[0].warnings, results[1].warnings, name);
    }
  }
});

test("a large session read after a small one: the fast path follows the module's memory as it grows", () => {
  const seed = fixtureJson("valid/seed.json");
  esm.parseSession(fixtureText("valid/seed.json"));
  const pages = memory().buffer.byteLength;
  // Thousands of links, each different, some written with escapes or past ASCII.
  const links = Array.from({ length: 6000 }, (_, i) => ({
    href: `https://gateway.sezzle.com/v2/order/${i}`,
    method: ["GET", "POST", "PATCH"][i % 3],
    rel: i % 7 === 0 ? `r\u00e9l "${i}"` : `rel-${i}`,
  }));
  const text = JSON.stringify({ ...seed, order: { ...seed.order, links } });
  for (const input of [text, new TextEncoder().encode(text)]) {
    const { success, data } = esm.safeParseSession(input);
    assert.ok(success);
    assert.equal(JSON.stringify(data), JSON.stringify(expectedSession(text)));
    assert.equal(data.order.links[5999].href, "https://gateway.sezzle.com/v2/order/5999");
  }
  assert.ok(memory().buffer.byteLength > pages, "the module's memory did not grow");
  // ...and a small one after it still reads right.
  assert.deepEqual(esm.parseSession(fixtureText("valid/seed.json")), topLevelSeed);
});

test("sessionSchema is a Standard Schema v1: the session as value, or issues with message and path", () => {
  const { sessionSchema } = esm;
  const standard = sessionSchema["~standard"];
  assert.equal(standard.version, 1);
  assert.equal(standard.vendor, "sezzle-session");
  assert.ok(Object.isFrozen(sessionSchema) && Object.isFrozen(standard));
  const seed = fixtureText("valid/seed.json");
  assert.deepEqual(standard.validate(seed), { value: esm.parseSession(seed) });
  const { issues } = standard.validate(JSON.stringify({ uuid: 5, order: { uuid: "o", checkout_url: "not a url" } }));
  assert.ok(issues.length >= 2);
  for (const issue of issues) assert.deepEqual(Object.keys(issue), ["message", "path"]);
  assert.ok(issues.some((i) => i.path.join(".") === "uuid"));
  assert.ok(issues.some((i) => i.path.join(".") === "order.checkout_url"));
  // Whatever it is given, it answers; it never throws.
  const hostile = new Proxy({}, { get() { throw new Error("trap"); }, ownKeys() { throw new Error("trap"); } });
  for (const value of [undefined, null, 42, "{", hostile, new Uint8Array([0xff])]) {
    const result = standard.validate(value);
    assert.ok(Array.isArray(result.issues) && result.issues.length > 0 && typeof result.issues[0].message === "string");
  }
  // The same from require.
  assert.deepEqual(cjs.sessionSchema["~standard"].validate(seed), { value: cjs.parseSession(seed) });
});

test("SezzleError can be made by users' own tests, and is the package's class", () => {
  const error = new esm.SezzleError("http", "GET /v2/session/x: 404 Not Found", { status: 404, attempts: 1, cause: new Error("c") });
  assert.ok(error instanceof esm.SezzleError && error instanceof cjs.SezzleError && error instanceof Error);
  assert.equal(error.name, "SezzleError");
  assert.equal(error.kind, "http");
  assert.equal(error.status, 404);
  assert.equal(error.cause.message, "c");
  assert.deepEqual(error.toJSON(), { name: "SezzleError", kind: "http", message: "GET /v2/session/x: 404 Not Found", status: 404, attempts: 1 });
  assert.match(error.stack, /^SezzleError: GET/);
  assert.equal(esm.SezzleClient.name, "SezzleClient");
});

test("safeParseSession's failure always carries issues", () => {
  for (const value of [undefined, "{", 42, { uuid: 1 }, "x".repeat(10)]) {
    const result = esm.safeParseSession(value);
    assert.equal(result.success, false);
    assert.ok(Array.isArray(result.error.issues) && result.error.issues.length > 0);
  }
});

test("frozen intrinsics (SES lockdown) and replaced globals: import works, or fails with a SezzleError of kind internal", async () => {
  const { execFileSync } = await import("node:child_process");
  const { consumer } = await import("./packed.mjs");
  const run = (code, type = "module") =>
    execFileSync(process.execPath, type === "module" ? ["--input-type=module", "-e", code] : ["-e", code], { cwd: consumer, encoding: "utf8" }).trim();
  // Error.prototype frozen first: SezzleError's name is defined, not assigned.
  for (const entry of ["sezzle-session", "sezzle-session/slim"]) {
    const out = run(`Object.freeze(Error.prototype); const m = await import(${JSON.stringify(entry)}); const e = new m.SezzleError("internal", "x"); console.log(e.name, String(e), e.toJSON().name);`);
    assert.equal(out, "SezzleError SezzleError: x SezzleError", entry);
  }
  assert.equal(run(`Object.freeze(Error.prototype); const m = require("sezzle-session"); console.log(new m.SezzleError("internal", "x").name)`, "commonjs"), "SezzleError");
  // Buffer or WebAssembly replaced before the import. (TextDecoder is not here: the
  // wasm-bindgen glue makes one as it is evaluated, before any code of ours runs.)
  for (const tamper of ["globalThis.Buffer = undefined", "globalThis.WebAssembly = undefined"]) {
    for (const [load, type] of [['await import("sezzle-session")', "module"], ['require("sezzle-session")', "commonjs"]]) {
      const wrap = type === "module" ? (c) => c : (c) => `(async () => { ${c} })()`;
      const out = run(wrap(`${tamper}; try { ${load}; console.log("loaded"); } catch (e) { console.log(e.name, e.kind, e.message.slice(0, 60)); }`), type);
      assert.match(out, /^SezzleError internal sezzle-session: the WebAssembly module could not be loaded/, `${tamper}, ${type}`);
    }
  }
});

test("new SezzleError with hostile arguments: details not an object, a message that is a symbol or cannot be read", () => {
  for (const details of [null, "str", 5, undefined]) {
    const error = new esm.SezzleError("internal", "m", details);
    assert.equal(error.message, "m");
    assert.deepEqual(error.toJSON(), { name: "SezzleError", kind: "internal", message: "m" });
  }
  assert.equal(new esm.SezzleError("internal", Symbol("s")).message, "Symbol(s)");
  const lying = { toString() { throw new Error("no"); } };
  assert.equal(new esm.SezzleError("internal", lying).message, "(a object that cannot be read as text)");
});

// An object and its text: one verdict, one session (key order included), the same warnings
// and issues. A valid object with nothing to remark is read the quick way (its own strings,
// src/schema.rs's quick readers in js/tape.generated.js); anything else as text: this holds
// the two together over every fixture and, from the schema, every field of every object
// taken out, null, of each wrong type, broken for its rule, trimmed, or beside an unknown key.
const SCHEMA = JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(new URL("./schema.generated.json", import.meta.url), "utf8")));

function sameVerdict(object, what) {
  const text = JSON.stringify(object);
  const fromObject = esm.safeParseSession(object);
  const fromText = esm.safeParseSession(text);
  assert.equal(fromObject.success, fromText.success, what);
  if (fromText.success) {
    assert.equal(JSON.stringify(fromObject.data), JSON.stringify(fromText.data), what);
    assert.deepEqual(fromObject.warnings, fromText.warnings, what);
  } else {
    assert.equal(fromObject.error.message, fromText.error.message, what);
    assert.deepEqual(fromObject.error.issues, fromText.error.issues, what);
  }
}

// Where each object of the schema is in a session that has them all.
const PLACES = { session: [], order: ["order"], tokenize: ["tokenize"], link: ["links", 0] };
const at = (object, path) => path.reduce((o, step) => o[step], object);

test("an object gives what its text gives: every fixture, and every field of the schema changed", () => {
  const base = fixtureJson("valid/tokenize-top-level.json");
  assert.ok(base.order && base.tokenize && base.links.length > 0);
  for (const name of validFixtures) sameVerdict(fixtureJson(`valid/${name}`), name);
  for (const name of ["bad-links", "bad-order", "bad-tokenize", "bad-nested-tokenize", "control-char-uuid", "look-alike-href", "missing-uuid"]) {
    sameVerdict(fixtureJson(`invalid/${name}.json`), name);
  }
  const values = [undefined, null, 7, true, [], {}, "", " x", "x ", "a b", "GET", "get", "AUTH", "2030-01-02T03:04:05Z", "2030-13-02T03:04:05Z", "https://sezzle.com/a", " https://sezzle.com/a", "http://sezzle.com/a", "https://sezzle.com/a\\b", "é😀", "\u0001"];
  let cases = 0;
  for (const [objectName, fields] of Object.entries(SCHEMA)) {
    for (const field of Object.keys(fields)) {
      for (const value of values) {
        const object = structuredClone(base);
        if (value === undefined) delete at(object, PLACES[objectName])[field];
        else at(object, PLACES[objectName])[field] = value;
        sameVerdict(object, `${objectName}.${field} = ${JSON.stringify(value)}`);
        cases++;
      }
    }
    const unknown = structuredClone(base);
    at(unknown, PLACES[objectName]).extra = "x";
    sameVerdict(unknown, `${objectName}.extra`);
    const undefinedUnknown = structuredClone(base);
    at(undefinedUnknown, PLACES[objectName]).extra = undefined;
    sameVerdict(undefinedUnknown, `${objectName}.extra = undefined`);
  }
  assert.ok(cases > 300);
  // Tokenize in order, at the top level, in both places, null in either.
  const nested = fixtureJson("valid/seed.json");
  for (const top of [undefined, null, base.tokenize]) {
    for (const inOrder of [undefined, null, nested.order.tokenize]) {
      const object = structuredClone(base);
      if (top === undefined) delete object.tokenize;
      else object.tokenize = top;
      if (inOrder !== undefined) object.order.tokenize = inOrder;
      sameVerdict(object, `tokenize ${JSON.stringify(top)?.slice(0, 20)}, in order ${JSON.stringify(inOrder)?.slice(0, 20)}`);
    }
  }
});

test("an object the quick reading leaves to the text: what JSON.stringify would make of it", () => {
  const seed = fixtureJson("valid/seed.json");
  // A prototype-less object, a class instance and a toJSON are read as JSON.stringify reads them.
  const bare = Object.assign(Object.create(null), structuredClone(seed));
  assert.equal(JSON.stringify(esm.parseSession(bare)), JSON.stringify(esm.parseSession(seed)));
  class Payload {
    constructor(fields) {
      Object.assign(this, fields);
    }
  }
  assert.equal(JSON.stringify(esm.parseSession(new Payload(structuredClone(seed)))), JSON.stringify(esm.parseSession(seed)));
  const withToJSON = { ...structuredClone(seed), toJSON: () => ({ uuid: "from-toJSON" }) };
  assert.equal(esm.parseSession(withToJSON).uuid, "from-toJSON");
  // A getter is read once on the quick way; one that throws leaves the object to the text,
  // which says so.
  let reads = 0;
  const counted = structuredClone(seed);
  Object.defineProperty(counted, "uuid", { enumerable: true, get: () => (reads++, seed.uuid) });
  assert.equal(esm.parseSession(counted).uuid, seed.uuid);
  assert.equal(reads, 1);
  const throwing = structuredClone(seed);
  Object.defineProperty(throwing.order, "uuid", { enumerable: true, get: () => { throw new Error("no"); } });
  const result = esm.safeParseSession(throwing);
  assert.equal(result.success, false);
  assert.equal(result.error.issues[0].code, "invalid_input");
  // Values JSON cannot hold: the text reading's issues, at their paths.
  for (const bad of [NaN, Infinity, () => 1, Symbol("s"), 10n, "s\ud800"]) {
    const object = structuredClone(seed);
    object.order.checkout_url = bad;
    const { success, error } = esm.safeParseSession(object);
    assert.equal(success, false, String(bad?.toString?.()));
    assert.deepEqual(error.issues[0].path, ["order", "checkout_url"]);
  }
  // A session the package returned, and a copy of it, parse again to the same session.
  const parsed = esm.parseSession(seed);
  assert.equal(JSON.stringify(esm.parseSession(structuredClone(parsed))), JSON.stringify(parsed));
});
