// Hostile callers, the same code in every runtime (hostile-run.mjs runs it under Node, Deno
// and Bun): generated malformed payloads as text and bytes, objects that lie (Proxies whose
// traps throw, revoked ones, getters and toJSON that throw, cycles, deep nesting), typed arrays
// whose length lies, options that throw, and every parser function called where the stack
// runs out. Nothing may come out but a session or a SezzleError (never a verdict of invalid
// for the valid seed because the stack ran out), safeParseSession never throws,
// nothing is added to Object.prototype, and the seed parses the same afterwards. Answers the
// kinds seen per case (which every engine must agree on) and what broke the rules.
export function hostile(api, seedText) {
  const seedBytes = new TextEncoder().encode(seedText);
  const seedObject = JSON.parse(seedText);
  const problems = [];
  const kinds = {};
  let state = 0x5e221e;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];

  // One call: its outcome's kind, counted under `label`; anything but a session or a
  // SezzleError is a problem.
  const judge = (label, call) => {
    let kind;
    try {
      const got = call();
      kind = got === undefined ? "undefined" : "ok";
    } catch (error) {
      if (!(error instanceof api.SezzleError)) {
        problems.push(`${label}: ${error?.name}: ${String(error?.message).slice(0, 200)}`);
        return;
      }
      kind = error.kind;
    }
    (kinds[label] ??= {})[kind] = (kinds[label]?.[kind] ?? 0) + 1;
  };
  const safe = (label, input) => {
    try {
      const result = api.safeParseSession(input);
      if (typeof result?.success !== "boolean") problems.push(`${label}: safeParseSession answered ${typeof result}`);
      else if (!result.success && !(result.error instanceof api.SezzleError)) problems.push(`${label}: safeParseSession's error is no SezzleError`);
    } catch (error) {
      problems.push(`${label}: safeParseSession threw ${error?.name}: ${error?.message}`);
    }
  };

  // Text: truncations, byte mutations, hostile pieces at a value's place.
  const PIECES = ["1e400", "-0", "9".repeat(400), '"\\ud800"', '"\ud800"', '"\\u0000"', '"\u0001"', "[".repeat(600), "{".repeat(600), '"__proto__"', "null", "true", "[]", "{}", '"javascript:alert(1)"', '"https://checkout.sezzle.com.example.net/"', '"\u202e"', "\u0000", "NaN", "Infinity"];
  const spots = [...seedText.matchAll(/:\s*/g)].map((m) => m.index + m[0].length);
  for (let i = 0; i < 1500; i++) {
    let text;
    switch (int(4)) {
      case 0:
        text = seedText.slice(0, int(seedText.length));
        break;
      case 1: {
        const at = int(seedText.length);
        text = seedText.slice(0, at) + String.fromCharCode(int(256)) + seedText.slice(at + 1);
        break;
      }
      case 2: {
        const at = pick(spots);
        text = seedText.slice(0, at) + pick(PIECES) + seedText.slice(at).replace(/^("[^"]*"|[^,}\]]*)/, "");
        break;
      }
      default:
        text = Array.from({ length: int(200) }, () => String.fromCharCode(int(0x10000))).join("");
    }
    judge("text", () => api.parseSession(text));
    judge("bytes", () => api.parseSession(new TextEncoder().encode(text)));
    safe("text", text);
  }

  // Objects that lie.
  const TRAPS = ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "defineProperty", "set"];
  const deep = () => {
    let o = {};
    for (let i = 0; i < 100_000; i++) o = { order: o };
    return o;
  };
  const cyclic = () => {
    const o = structuredClone(seedObject);
    o.order.links[0].self = o;
    return o;
  };
  const objects = [
    ...TRAPS.map((trap) => () => new Proxy(structuredClone(seedObject), { [trap]: () => { throw new Error("trap"); } })),
    ...TRAPS.map((trap) => () => ({ ...seedObject, order: new Proxy(structuredClone(seedObject.order), { [trap]: () => { throw "a string"; } }) })),
    () => { const { proxy, revoke } = Proxy.revocable(structuredClone(seedObject), {}); revoke(); return proxy; },
    () => ({ ...seedObject, get uuid() { throw new Error("getter"); } }),
    () => ({ ...seedObject, toJSON() { throw new Error("toJSON"); } }),
    () => ({ ...seedObject, toJSON: () => seedText }),
    () => ({ ...seedObject, uuid: 10n }),
    () => ({ ...seedObject, [Symbol("s")]: 1, uuid: Symbol("u") }),
    () => ({ ...seedObject, uuid: new String(seedObject.uuid) }),
    () => ({ ...seedObject, uuid: "\ud800" }),
    () => JSON.parse(`{"__proto__": {"polluted": 1}, ${seedText.slice(1)}`),
    cyclic,
    deep,
    () => Object.create(null),
    () => new Date(),
    () => [seedObject],
  ];
  for (const make of objects) {
    judge("object", () => api.parseSession(make()));
    safe("object", make());
    judge("checkoutUrl(object)", () => api.checkoutUrl(make()));
  }

  // Typed arrays whose length lies, and other views.
  const views = [
    () => Object.defineProperty(new Uint8Array(seedBytes), "length", { value: 1e9 }),
    () => Object.defineProperty(new Uint8Array(seedBytes), "byteLength", { value: -1 }),
    () => new Uint8Array(seedBytes.buffer.slice(0), 3, 10),
    () => new Uint16Array(4),
    () => new DataView(seedBytes.buffer.slice(0)),
    () => new Proxy(new Uint8Array(seedBytes), { get: () => { throw new Error("view trap"); } }),
    () => { const b = new Uint8Array(new ArrayBuffer(8, { maxByteLength: 16 })); return b; },
  ];
  for (const make of views) {
    judge("view", () => api.parseSession(make()));
    safe("view", make());
  }

  // URL options that lie.
  const session = api.parseSession(seedText);
  const hostOptions = [
    { allowedHosts: ["checkout.sezzle.com"] },
    { allowedHosts: new Proxy([], { get: () => { throw new Error("hosts trap"); } }) },
    { get allowedHosts() { throw new Error("hosts getter"); } },
    { allowedHosts: ["*"] },
    { allowedHosts: [42] },
    { allowedHosts: "checkout.sezzle.com" },
    new Proxy({}, { getOwnPropertyDescriptor: () => { throw new Error("descriptor"); } }),
    null,
  ];
  for (const options of hostOptions) {
    judge("checkoutUrl(options)", () => api.checkoutUrl(session, options));
    judge("approvalUrl(options)", () => api.approvalUrl(seedText, options));
  }

  // Every parser function where the stack runs out: at each depth from the stack's end up
  // until one call completes, what was thrown must be a SezzleError, or the caller's own
  // RangeError (its call ran out before any of the package's code ran: no SezzleError then).
  const atEveryDepth = (call) => {
    const thrown = [];
    let done = false;
    const dive = () => {
      try {
        dive();
      } catch {}
      if (done) return;
      try {
        call();
        done = true;
      } catch (error) {
        thrown.push(error);
      }
    };
    dive();
    return thrown;
  };
  const object = JSON.parse(seedText);
  const calls = {
    parseSession: () => api.parseSession(seedText),
    "parseSession(bytes)": () => api.parseSession(seedBytes),
    "parseSession(object)": () => api.parseSession(object),
    safeParseSession: () => api.safeParseSession(seedText),
    checkoutUrl: () => api.checkoutUrl(session),
  };
  let depthsTried = 0;
  for (const [name, call] of Object.entries(calls)) {
    for (const error of atEveryDepth(call)) {
      depthsTried += 1;
      // (The seed is valid: no depth makes it invalid.)
      if (error instanceof api.SezzleError && error.kind === "validation") problems.push(`${name} at the stack's end judged the seed invalid: ${error.message}`);
      // (The stack's end is a RangeError, or in SpiderMonkey an InternalError.)
      if (error instanceof api.SezzleError || error instanceof RangeError || error?.name === "InternalError") continue;
      problems.push(`${name} at the stack's end: ${error?.name}: ${error?.message}`);
    }
  }

  if (Object.prototype.polluted !== undefined || Object.keys(Object.prototype).length) problems.push("Object.prototype was changed");
  if (JSON.stringify(api.parseSession(seedText)) !== JSON.stringify(session)) problems.push("the seed parses otherwise afterwards");
  return { kinds, problems, deep: depthsTried > 0 };
}
