// hostile.mjs under the runtime that runs this file, on the seed in SEZZLE_INPUT; its answer
// printed as JSON.
import process from "node:process";
import * as api from "sezzle-session";
import { hostile } from "./hostile.mjs";

console.log(JSON.stringify(hostile(api, JSON.parse(process.env.SEZZLE_INPUT).seedText)));
