// The package imported as an ES module (Node, Deno, Bun): checks.mjs on the input the test
// passes in SEZZLE_INPUT, its answer printed as JSON.
import process from "node:process";
import * as api from "sezzle-session";
import { checks } from "./checks.mjs";

console.log(JSON.stringify(await checks(api, JSON.parse(process.env.SEZZLE_INPUT))));
