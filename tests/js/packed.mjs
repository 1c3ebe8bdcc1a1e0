// The package under test, as a user gets it: `make pack` installs the packed tarball into
// target/consumer, and everything here resolves "sezzle-session" by name from there.
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
// (js/api.js): the glue's functions, and the instance's memory as it is now.
const internals = esm.parseSession[Symbol.for("sezzle-session.internals")];
if (internals === undefined) throw new Error("the package did not expose its internals to its tests");
export const { wasm } = internals;
export const memory = () => internals.memory();

/** Writes `bytes` into the module's input buffer, as the package does; returns their length. */
export function loadInput(bytes) {
  const at = wasm.input_buffer(bytes.length); // may grow the memory
  new Uint8Array(memory().buffer, at, bytes.length).set(bytes);
  return bytes.length;
}

/** The module's full parse alone (no fast path) of `bytes`: its answer, `{ok}` or `{error}`. */
export function fullParse(bytes) {
  const length = wasm.parse_input(loadInput(bytes));
  return JSON.parse(new TextDecoder().decode(new Uint8Array(memory().buffer, wasm.answer_address(), length)));
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
