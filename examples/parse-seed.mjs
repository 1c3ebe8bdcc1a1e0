// Parses the payload from Sezzle's "Get session status" page through the built package and
// prints what an admin wants to see first. Run with `make demo`.
import { readFileSync } from "node:fs";
import { approvalUrl, checkoutUrl, safeParseSession } from "../pkg/node/index.mjs";

const file = process.argv[2] ?? new URL("../tests/fixtures/valid/seed.json", import.meta.url);
const result = safeParseSession(readFileSync(file));

if (!result.success) {
  console.error(result.error.message);
  for (const issue of result.error.issues ?? []) console.error(`  ${issue.path.join(".") || "(root)"}  ${issue.code}  ${issue.message}`);
  process.exit(1);
}

const session = result.data;
console.log(`session   ${session.uuid}`);
if (session.order) console.log(`order     ${session.order.uuid} (${session.order.intent ?? "no intent"})`);
if (session.tokenize) console.log(`tokenize  ${session.tokenize.token}, expires ${session.tokenize.expiration ?? "never"}`);

const rows = [
  ...session.links.map((l) => ["session", l]),
  ...(session.order?.links ?? []).map((l) => ["order", l]),
  ...(session.tokenize?.links ?? []).map((l) => ["tokenize", l]),
];
console.log("\nlinks");
for (const [owner, link] of rows) console.log(`  ${owner.padEnd(9)} ${link.rel.padEnd(8)} ${link.method.padEnd(6)} ${link.href}`);

console.log(`\ncheckout  ${checkoutUrl(session) ?? "(none)"}`);
console.log(`approval  ${approvalUrl(session) ?? "(none)"}`);
for (const warning of result.warnings) console.log(`warning   ${warning.path.join(".")}: ${warning.message}`);
