// Redaction: the API token and the private key out of every string an error carries.
//
// A gateway, a proxy or an injected fetch may echo a secret anywhere: in Sezzle's error
// messages and debug_uuid, in a payload value quoted by a validation issue, in a header
// quoted by a message, in a thrown error's cause chain. What a user can see of an error is
// its own properties (message, stack, details, `toJSON`), and whatever `util.inspect`
// (`console.error`) shows of its cause chain; all of it is cleaned here.
//
// Every occurrence of a secret is replaced, whatever its length, except in the package's own
// fixed words (`kind`, an issue's `code`). A secret of a character or
// two is a weak one: cleaning it also replaces that text where it occurs by chance, so a
// message may read oddly; leaving it would print it. Numbers (status, attempts) are never
// changed.

/** Follows a value the package cut short in a message (src/client/rules.rs). */
export const CUT = "\u2026";

// The first of these that holds no secret replaces them: a marker that held one would put
// it back. The empty string holds none.
const MARKERS = ["[redacted]", "***", ""];
// Rounds of replacement before a string is given up for the marker alone: a secret can
// form anew where a marker meets the text around it.
const MAX_ROUNDS = 4;
// How much of a cause is walked to prove it clean; what is bigger is replaced unwalked.
const MAX_DEPTH = 8;
const MAX_VALUES = 2000;
// The longest value the package cuts short before a CUT (src/client/text.rs, CAUSE_CUT: 300
// characters of a thrown message), with room to spare; a Rust test there holds it to the
// longest of the cuts.
const MAX_CUT = 400;

function escapeRegExp(text) {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

// A piece of a secret this long or longer goes wherever it appears, in any letter case: an
// echo may keep only part of one (a parser error's copy of the bytes around where it failed,
// a value cut at a fixed length without a mark). Shorter pieces are found only before a CUT.
export const PIECE = 8;

// Letters folded to lower case one for one: the secrets are printable ASCII (a credential
// check refuses anything else before a request), so only ASCII letters need folding, and an
// index into the folded text is an index into the text.
function folded(text) {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (run) => run.toLowerCase()) : text;
}

/**
 * The function that cleans a string of `secrets` (strings; others are ignored), or null
 * when there is nothing to clean. What goes: every occurrence of a secret, of its
 * percent-encoded form (`encodeURIComponent`), in any letter case, and of any PIECE or more
 * characters in a row of either.
 */
export function redactor(secrets) {
  const given = secrets.filter((s) => typeof s === "string" && s !== "");
  const forms = new Set();
  for (const s of given) {
    forms.add(folded(s));
    try {
      forms.add(folded(encodeURIComponent(s)));
    } catch {} // a lone surrogate: not a credential anyway
  }
  const live = [...forms];
  if (live.length === 0) return null;
  // Longest first, so that a secret inside another is not replaced alone.
  live.sort((a, b) => b.length - a.length);
  // Every PIECE-long run of every form; forms shorter than that are matched whole.
  const pieces = new Set();
  const short = [];
  for (const s of live) {
    if (s.length < PIECE) short.push(s);
    for (let i = 0; i + PIECE <= s.length; i++) pieces.add(s.slice(i, i + PIECE));
  }
  const shortPattern = short.length > 0 ? new RegExp(short.map(escapeRegExp).join("|"), "gi") : null;
  // The spans [start, end) of `text` that hold a piece or a short secret, merged.
  const spans = (text) => {
    const lower = folded(text);
    const found = [];
    for (let i = 0; i + PIECE <= lower.length; i++) {
      if (pieces.has(lower.slice(i, i + PIECE))) found.push([i, i + PIECE]);
    }
    if (shortPattern !== null) {
      for (const m of lower.matchAll(shortPattern)) found.push([m.index, m.index + m[0].length]);
    }
    found.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const [start, end] of found) {
      const last = merged[merged.length - 1];
      if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    return merged;
  };
  const leaks = (text) => spans(text).length > 0;
  const marker = MARKERS.find((m) => !leaks(m));
  const replace = (text) => {
    let out = "";
    let from = 0;
    for (const [start, end] of spans(text)) {
      out += text.slice(from, start) + marker;
      from = end;
    }
    return out + text.slice(from);
  };
  // Where the package cut a long value short (CUT follows the cut), the value may end in the
  // first characters of a secret, fewer than PIECE of them: they go too, up to the cut. The
  // package cuts values at most MAX_CUT characters long, so only that many characters before
  // a cut are compared.
  const beforeCut = (text) => {
    const lower = folded(text);
    let out = "";
    let from = 0;
    for (let at = text.indexOf(CUT); at >= 0; at = text.indexOf(CUT, at + 1)) {
      let longest = 0;
      for (const s of live) {
        for (let k = Math.min(s.length, at - from, MAX_CUT); k > longest; k--) {
          if (lower.startsWith(s.slice(0, k), at - k)) {
            longest = k;
            break;
          }
        }
      }
      out += text.slice(from, at - longest) + (longest > 0 ? marker : "");
      from = at;
    }
    return out + text.slice(from);
  };
  const clean = (text) => {
    if (text.includes(CUT)) text = beforeCut(text);
    for (let round = 0; round < MAX_ROUNDS && leaks(text); round++) text = replace(text);
    return leaks(text) ? marker : text;
  };
  clean.leaks = leaks;
  return clean;
}

// Cleans the strings in a value the package built (a message, apiErrors, issues and their
// paths), in place; other values are left as they are.
function cleanValue(value, clean, depth = 0) {
  if (typeof value === "string") return clean(value);
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return value;
  for (const key of Object.keys(value)) {
    const was = value[key];
    const now = cleanValue(was, clean, depth + 1);
    if (now !== was) value[key] = now;
  }
  return value;
}

// Whether a value shows no secret anywhere an inspector could look: its strings, property
// names, an error's name, message and stack, through its own properties (getters are not
// called; an inspector does not call them either). A value too big or too strange to walk
// (a Map, a Proxy whose traps throw) is not proven clean.
function provenClean(value, leaks) {
  const seen = new Set();
  let budget = MAX_VALUES;
  const visit = (v, depth) => {
    if (typeof v === "string") return !leaks(v);
    if (typeof v === "symbol") return !leaks(v.description ?? "");
    if (v === null || (typeof v !== "object" && typeof v !== "function")) return true;
    if (seen.has(v)) return true;
    if (--budget < 0 || depth > MAX_DEPTH) return false;
    seen.add(v);
    try {
      // What an inspector shows of anything but a plain object, array or error (a Headers,
      // a Request, a class with its own inspect) is not in its own properties.
      if (typeof v === "object" && !isPlain(v)) return false;
      if (v instanceof Map || v instanceof Set || v instanceof WeakMap || v instanceof WeakSet || v instanceof Promise) return false;
      if (v instanceof Error && !(visit(v.name, depth + 1) && visit(v.message, depth + 1) && visit(v.stack, depth + 1))) return false;
      if (typeof v === "function" && !visit(v.name, depth + 1)) return false;
      for (const key of Reflect.ownKeys(v)) {
        if (!visit(key, depth + 1)) return false;
        const property = Reflect.getOwnPropertyDescriptor(v, key);
        if (property && "value" in property && !visit(property.value, depth + 1)) return false;
      }
      return true;
    } catch {
      return false;
    }
  };
  return visit(value, 0);
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

function isPlain(value) {
  if (INSPECT in value) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (proto === Object.prototype || proto === Array.prototype || proto === Error.prototype) return true;
    if (!Object.prototype.hasOwnProperty.call(proto, "constructor") || !(proto.constructor.prototype === proto && isErrorClass(proto.constructor))) return false;
  }
  return true; // a null prototype
}

function isErrorClass(constructor) {
  return constructor === Error || Error.isPrototypeOf(constructor) || constructor === globalThis.DOMException;
}

function readable(read, fallback) {
  try {
    const value = read();
    return typeof value === "string" ? value : fallback;
  } catch {
    return fallback;
  }
}

// A cause as it is when proven clean (an AbortSignal's reason stays the caller's own
// value); otherwise a plain Error with its name, message and code cleaned, whose own cause
// is treated the same way.
function cleanCause(cause, clean, depth) {
  if (provenClean(cause, clean.leaks)) return cause;
  const message = readable(() => (cause instanceof Error ? cause.message : String(cause)), "(a value that cannot be read)");
  const copy = new Error(clean(message));
  const name = readable(() => cause.name, undefined);
  if (name !== undefined) copy.name = clean(name);
  const code = readable(() => cause.code, undefined);
  if (code !== undefined) copy.code = clean(code);
  let next;
  try {
    next = cause !== null && typeof cause === "object" && "cause" in cause ? cause.cause : undefined;
  } catch {
    next = undefined;
  }
  if (next !== undefined && depth < 5) copy.cause = cleanCause(next, clean, depth + 1);
  // The copy's stack was made with the cleaned message, but says so once more to be sure.
  copy.stack = clean(copy.stack ?? "");
  return copy;
}

// The package's own fixed words, which code branches on: an error's kind and an issue's code.
const FIXED = new Set(["kind"]);
const FIXED_IN_ISSUE = new Set(["code"]);

/** Cleans `error` (a SezzleError the package made) of `secrets`, in place, and returns it. */
export function scrub(error, secrets) {
  const clean = redactor(secrets);
  if (clean === null) return error;
  for (const key of Object.getOwnPropertyNames(error)) {
    if (key === "cause" || FIXED.has(key)) continue;
    if (key === "issues" && Array.isArray(error.issues)) {
      for (const issue of error.issues) {
        if (issue === null || typeof issue !== "object") continue;
        for (const field of Object.keys(issue)) if (!FIXED_IN_ISSUE.has(field)) issue[field] = cleanValue(issue[field], clean);
      }
      continue;
    }
    const was = error[key];
    const now = cleanValue(was, clean);
    if (now !== was) error[key] = now;
  }
  // Where the stack is not an own property (Firefox, Safari), it is read and set all the same.
  if (typeof error.stack === "string" && clean.leaks(error.stack)) error.stack = clean(error.stack);
  if ("cause" in error) error.cause = cleanCause(error.cause, clean, 0);
  return error;
}

/**
 * `texts` cleaned of `secrets`, one for one: the Rust client's errors (src/client/error.rs,
 * `ClientError::redacted`) are cleaned here too, so that there is one redaction.
 */
export function redactTexts(texts, secrets) {
  const clean = redactor(secrets);
  return clean === null ? texts : texts.map((text) => clean(text));
}
