// The package under test, as a user gets it: `make pack` installs the packed tarball into
// target/consumer, and everything here resolves "sezzle-session" by name from there.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const root = new URL("../..", import.meta.url).pathname;
export const consumer = join(root, "target", "consumer");
export const installed = join(consumer, "node_modules", "sezzle-session");

if (!existsSync(join(installed, "package.json"))) {
  throw new Error("the packed package is not installed: run `make pack` (make test-js does)");
}

export const cjs = createRequire(join(consumer, "package.json"))("sezzle-session");

const esmEntry = join(consumer, "by-name.mjs");
writeFileSync(esmEntry, 'export * from "sezzle-session";\n');
export const esm = await import(pathToFileURL(esmEntry).href);

// The ESM instance's wasm module itself, which the package hands its own tests
// (js/api.js): the current instance's memory.
const internals = esm.parseSession[Symbol.for("sezzle-session.internals")];
if (internals === undefined) throw new Error("the package did not expose its internals to its tests");
export const memory = () => internals.memory();

/**
 * The session a valid payload's text describes, by Sezzle's field rules applied to what
 * JSON.parse makes of it: null is absent, a tokenize inside order moves to the top (where one
 * at the top wins), a link's absent method is GET, unknown fields are left out. A model of
 * its own, for the package's tape reader to be held to (the Rust parser is held to its
 * serde_json oracle by tests/oracle.rs and the fuzz target).
 */
export function expectedSession(text) {
  const raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  const links = (list) => (list ?? []).map((l) => ({ href: l.href, method: l.method ?? "GET", rel: l.rel }));
  const block = (part, id, fields) => {
    const out = { [id]: part[id] };
    for (const field of fields) if (part[field] != null) out[field] = part[field];
    out.links = links(part.links);
    return out;
  };
  const session = { uuid: raw.uuid, links: links(raw.links) };
  if (raw.order != null) session.order = block(raw.order, "uuid", ["intent", "checkout_url"]);
  const tokenize = raw.tokenize ?? raw.order?.tokenize;
  if (tokenize != null) session.tokenize = block(tokenize, "token", ["expiration", "approval_url"]);
  return session;
}

/**
 * The error `promise` rejects with, checked to be a SezzleError (of either entry's class);
 * `label` names the call in a failure.
 */
export async function rejection(promise, label = "the call") {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof esm.SezzleError, `${label}: not a SezzleError: ${error}`);
    return error;
  }
  assert.fail(`${label} resolved; it should have failed`);
}

export function fixture(relative) {
  return readFileSync(join(root, "tests", "fixtures", relative));
}

export function fixtureText(relative) {
  return fixture(relative).toString("utf8");
}

export function fixtureJson(relative) {
  return JSON.parse(fixtureText(relative));
}

export const validFixtures = readdirSync(join(root, "tests", "fixtures", "valid"));
