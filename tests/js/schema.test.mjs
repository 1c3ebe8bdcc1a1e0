// The bench's baselines (bench/schemas.mjs: zod, valibot, ajv) hold the session to the rules
// the package does: the same objects with the same fields, each required or optional as the
// package's schema says (src/schema.rs, written out as tests/js/schema.generated.json by
// `cargo test`). A field added to the schema and not to a baseline fails here, so that the
// benchmark keeps comparing the same work.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as v from "valibot";
import { zodSession, valibotSession, ajvSession } from "../../bench/schemas.mjs";

const SCHEMA = JSON.parse(readFileSync(new URL("./schema.generated.json", import.meta.url), "utf8"));

// Each baseline's objects as { field: "required" | "optional" }, by the package's names.
function zodFields(object) {
  const shape = object.unwrap?.()?.shape ?? object.shape;
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, s.safeParse(undefined).success ? "optional" : "required"]));
}
function zodObjects() {
  const session = zodSession.in;
  const order = session.shape.order.unwrap().unwrap();
  const links = session.shape.links.in.unwrap().unwrap();
  return { session: zodFields(session), order: zodFields(order), tokenize: zodFields(session.shape.tokenize.unwrap().unwrap()), link: zodFields(links.element) };
}

function valibotFields(object) {
  return Object.fromEntries(Object.entries(object.entries).map(([k, s]) => [k, v.safeParse(s, undefined).success ? "optional" : "required"]));
}
function valibotObjects() {
  const session = valibotSession.pipe[0];
  const order = session.entries.order.wrapped;
  return { session: valibotFields(session), order: valibotFields(order), tokenize: valibotFields(session.entries.tokenize.wrapped), link: valibotFields(session.entries.links.pipe[0].wrapped.item) };
}

function ajvFields(object) {
  return Object.fromEntries(Object.keys(object.properties).map((k) => [k, object.required?.includes(k) ? "required" : "optional"]));
}
function ajvObjects() {
  const session = ajvSession.schema;
  return { session: ajvFields(session), order: ajvFields(session.properties.order), tokenize: ajvFields(session.properties.tokenize), link: ajvFields(session.properties.links.items) };
}

const sorted = (objects) => JSON.parse(JSON.stringify(objects, (key, value) => (value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value)));

for (const [name, objects] of [["zod", zodObjects], ["valibot", valibotObjects], ["ajv", ajvObjects]]) {
  test(`the ${name} baseline has the package's objects and fields, each as required`, () => {
    assert.deepEqual(sorted(objects()), sorted(SCHEMA));
  });
}
