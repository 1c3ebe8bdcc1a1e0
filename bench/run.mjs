// `make bench`: speed and size of the built package against baselines measured in the same
// run, in Node and headless Chromium. Writes bench/node_results.md and the README's table.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { Bench } from "tinybench";
import { chromium } from "playwright-core";
import * as api from "../pkg/node/index.mjs";
import { DEMO_KEYS, startMockGateway } from "../pkg/mock.mjs";
import { zodSession, valibotSession, ajvSession } from "./schemas.mjs";
import { BYTES_BASELINE, largePayload, measureParse } from "./parse-cases.mjs";
import * as v from "valibot";

const root = new URL("..", import.meta.url).pathname;
const TIME = Number(process.env.BENCH_TIME_MS ?? 500);
const fixture = (name) => readFileSync(join(root, "tests", "fixtures", "valid", name), "utf8");
const seed = fixture("seed.json");
const payloads = { seed, minimal: fixture("order-only.json"), large: JSON.stringify(largePayload(JSON.parse(seed)), null, 2) };
const baselines = {
  zod: (o) => zodSession.parse(o),
  valibot: (o) => v.parse(valibotSession, o),
  ajv: (o) => ajvSession(o),
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// The median of each round's own ratio of `ours` to `theirs` (per-round times): the two ran
// side by side in that round, so this resists the machine's drift during the run better than
// a ratio of two medians, which the drift can move apart.
const roundsRatio = (ours, theirs) => median(ours.map((time, round) => time / theirs[round]));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const log = (...a) => console.error("bench:", ...a);

// --- parse, Node --------------------------------------------------------------------------
log(`parse cases in Node ${process.version} (${TIME} ms per case)`);
const node = await measureParse({ Bench, api, baselines, payloads, time: TIME });

// --- string copies -----------------------------------------------------------------------
// A session's strings are slices of the caller's text unless the text is over 16 KiB and 4x
// what the session keeps (js/api.js, COPY_FROM). The seed padded with spaces to just under
// and just over that size: the same scan, with and without the copies.
log("string copies");
const padded = (length) => `${seed.slice(0, -2)}${" ".repeat(length - seed.length)}}\n`;
const copies = { "sliced (16 KiB - 1)": padded(16 * 1024 - 1), "copied (16 KiB + 1)": padded(16 * 1024 + 1) };
const copyTimes = Object.fromEntries(Object.keys(copies).map((name) => [name, []]));
for (let round = 0; round < 9; round++) {
  const bench = new Bench({ time: TIME / 9, warmupTime: round === 0 ? 100 : 20 });
  for (const [name, text] of Object.entries(copies)) bench.add(name, () => api.parseSession(text));
  await bench.run();
  for (const task of bench.tasks) copyTimes[task.name].push(task.result.latency.p50 * 1000);
}
const copyCost = median(copyTimes["copied (16 KiB + 1)"]) - median(copyTimes["sliced (16 KiB - 1)"]);
const seedParse = node.find((row) => row.payload === "seed" && row.name === "parseSession(string)").us;

// --- an invalid payload ----------------------------------------------------------------
// Sezzle's example with 4 issues (an intent, a plain-http checkout URL, a link method, an
// expiration): safeParseSession against JSON.parse alone and JSON.parse + each schema's
// own safeParse, which also collect every issue.
log("an invalid payload");
const invalidSeed = (() => {
  const bad = JSON.parse(seed);
  bad.order.intent = "SALE";
  bad.order.checkout_url = "http://checkout.sezzle.com/?id=1";
  bad.order.links[0].method = "FETCH";
  bad.order.tokenize.expiration = "yesterday";
  return JSON.stringify(bad, null, 2);
})();
const invalidIssues = api.safeParseSession(invalidSeed).error?.issues.length;
if (invalidIssues !== 4) throw new Error(`the invalid seed has ${invalidIssues} issues, not 4`);
if (zodSession.safeParse(JSON.parse(invalidSeed)).success || v.safeParse(valibotSession, JSON.parse(invalidSeed)).success) {
  throw new Error("a baseline accepts the invalid seed");
}
const invalidCases = {
  "JSON.parse": () => JSON.parse(invalidSeed),
  "safeParseSession": () => api.safeParseSession(invalidSeed),
  "JSON.parse + zod safeParse": () => zodSession.safeParse(JSON.parse(invalidSeed)),
  "JSON.parse + valibot safeParse": () => v.safeParse(valibotSession, JSON.parse(invalidSeed)),
};
const invalidTimes = Object.fromEntries(Object.keys(invalidCases).map((name) => [name, []]));
for (let round = 0; round < 9; round++) {
  const bench = new Bench({ time: TIME / 9, warmupTime: round === 0 ? 100 : 20 });
  // As the parse cases: each round starts at another case.
  const names = Object.keys(invalidCases);
  const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
  for (const name of order) bench.add(name, invalidCases[name]);
  await bench.run();
  for (const task of bench.tasks) invalidTimes[task.name].push(task.result.latency.p50 * 1000);
}
const invalid = Object.fromEntries(Object.entries(invalidTimes).map(([name, times]) => [name, median(times)]));

// --- body chunks -------------------------------------------------------------------------
// A body of 65,536 one-byte chunks (the seed padded with spaces), through getSession with an
// injected fetch, against a plain JS reader that reads the same stream and joins the chunks:
// what a chunk costs the client (its per-call work is under 1 % of this).
log("body chunks");
const CHUNKS = 65536;
const chunkBody = new Uint8Array(CHUNKS).fill(0x20);
chunkBody.set(new TextEncoder().encode(seed));
const chunkStream = () => {
  let at = 0;
  return new ReadableStream({ pull: (c) => (at >= CHUNKS ? c.close() : c.enqueue(chunkBody.subarray(at, ++at))) }, { highWaterMark: 0 });
};
const plainReader = async () => {
  const reader = chunkStream().getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.length;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const part of parts) all.set(part, (at += part.length) - part.length);
  return all;
};
const chunkOptions = {
  baseUrl: "http://127.0.0.1:9/v2",
  token: "tok_bench",
  retries: 0,
  timeoutMs: 60_000,
  fetch: async () => new Response(chunkStream(), { headers: { "content-type": "application/json" } }),
};
const chunkTimes = { getSession: [], "plain JS reader": [] };
for (let round = 0; round < 9; round++) {
  const cases = [["plain JS reader", plainReader], ["getSession", () => api.getSession("fadbc642-05a4-4e38-9e74-80e325623af9", chunkOptions)]];
  if (round % 2) cases.reverse();
  for (const [name, run] of cases) {
    const start = performance.now();
    await run();
    chunkTimes[name].push(((performance.now() - start) * 1000) / CHUNKS);
  }
}
const chunkRatio = roundsRatio(chunkTimes.getSession, chunkTimes["plain JS reader"]);

// --- sizes --------------------------------------------------------------------------------
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const wasm = readFileSync(join(root, "pkg", "web", "sezzle_session_bg.wasm"));
const clientWasm = readFileSync(join(root, "pkg", "web", "sezzle_session_client_bg.wasm"));
const getWasm = readFileSync(join(root, "pkg", "web", "sezzle_session_get_bg.wasm"));
const inlinedBytes = readFileSync(join(root, "pkg", "web", "index.js"));
// What web/slim.js loads at import (itself and the chunks it imports statically).
const slimFiles = staticGraph(join(root, "pkg", "web"), "slim.js");
const slimJs = slimFiles.reduce((sum, file) => sum + gz(readFileSync(join(root, "pkg", "web", file))), 0);
const sizes = {
  inlinedRaw: inlinedBytes.length,
  inlinedGzip: gz(inlinedBytes),
  inlinedBrotli: brotliCompressSync(inlinedBytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  wasmRaw: wasm.length,
  wasmGzip: gz(wasm),
  wasmBrotli: brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  clientRaw: clientWasm.length,
  clientGzip: gz(clientWasm),
  clientBrotli: brotliCompressSync(clientWasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  getRaw: getWasm.length,
  getGzip: gz(getWasm),
  getBrotli: brotliCompressSync(getWasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  slimJs,
  // The bundler suite's apps (tests/bundlers/apps), built by Vite 8 as a user would: the whole
  // output, gzip -9. A fetching app's output is what it downloads by the end of its first call.
  vite: viteSizes(["parse", "slim-parse", "web", "slim", "client"]),
};

/** The files a browser file loads at import: itself and its static imports, transitively. */
function staticGraph(dir, file, seen = new Set()) {
  if (seen.has(file)) return [...seen];
  seen.add(file);
  for (const [, path] of readFileSync(join(dir, file), "utf8").matchAll(/from\s*["']\.\/([^"']+)["']/g)) staticGraph(dir, path, seen);
  return [...seen];
}

/** gzip -9 of all a `vite build` of each app emits (JS and wasm), or undefined without Vite 8. */
function viteSizes(kinds) {
  const bundlers = join(root, "tests", "bundlers");
  const vite = join(bundlers, "node_modules", "vite8", "bin", "vite.js");
  if (!existsSync(vite)) return {};
  const out = {};
  for (const kind of kinds) {
    const dir = mkdtempSync(join(tmpdir(), `sezzle-bench-${kind}-`));
    cpSync(join(bundlers, "apps", kind), dir, { recursive: true });
    for (const file of ["probe.js", "index.html"]) cpSync(join(bundlers, "apps", file), join(dir, file));
    writeFileSync(join(dir, "seed.js"), `export default ${JSON.stringify(payloads.seed)};\n`);
    writeFileSync(join(dir, "package.json"), `{ "name": "bench-${kind}", "private": true, "type": "module" }\n`);
    cpSync(join(root, "pkg"), join(dir, "node_modules", "sezzle-session"), { recursive: true });
    const built = spawnSync(process.execPath, [vite, "build", "--logLevel", "error"], { cwd: dir, encoding: "utf8" });
    if (built.status !== 0) throw new Error(`vite build of ${kind}: ${built.stderr}`);
    const dist = join(dir, "dist");
    out[kind] = readdirSync(dist, { recursive: true })
      .map(String)
      .filter((path) => /\.(m?js|wasm)$/.test(path))
      // (Vite emits the slim entry's .wasm files even for an app that never imports their
      // chunks, which its page never loads: tests/bundlers, EMITS_UNUSED.)
      .filter((path) => kind === "client" || !/client-(inline|file)|client_bg/.test(path))
      .filter((path) => !(kind.includes("parse") && /get-(inline|file)|get_bg/.test(path)))
      .reduce((sum, path) => sum + gz(readFileSync(join(dist, path))), 0);
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

// --- cold start ---------------------------------------------------------------------------
// Each pair of processes runs as this machine runs node, and again as bare node: this
// machine's environment sets NODE_EXTRA_CA_CERTS, whose certificates every node process
// parses at start (~50 ms here), which flatters any ratio against a process start. Bare node
// also gets an ESM import of an empty file (what any ES module import costs), the floor under
// the package's own cost (an ES module with only the parser module: its base64 from the
// built entry, compiled, instantiated and scanning the seed once, none of the package's JS)
// and the CommonJS pair (require).
log("cold start (fresh Node processes)");
const entry = join(root, "pkg", "node", "index.mjs");
const seedPath = JSON.stringify(join(root, "tests", "fixtures", "valid", "seed.json"));
const emptyModule = join(mkdtempSync(join(tmpdir(), "sezzle-bench-")), "empty.mjs");
writeFileSync(emptyModule, "export {};\n");
const floorModule = join(emptyModule, "..", "floor.mjs");
writeFileSync(
  floorModule,
  `const m = new WebAssembly.Module(Buffer.from("${readFileSync(entry, "utf8").match(/var PARSER_WASM = "([^"]+)"/)[1]}", "base64"));
const imports = {};
for (const { module, name } of WebAssembly.Module.imports(m)) (imports[module] ??= {})[name] = () => {};
const w = new WebAssembly.Instance(m, imports).exports;
w.__wbindgen_start?.();
export function parseSession(bytes) {
  const at = w.input_buffer(bytes.length);
  new Uint8Array(w.memory.buffer, at, bytes.length).set(bytes);
  if ((w.verdict_input(bytes.length) & 3) === 0) throw new Error("the seed was judged invalid");
}
`,
);
const readSeed = `import { readFileSync } from "node:fs";`;
const esm = (code) => ["--input-type=module", "-e", code];
const coldScripts = {
  package: esm(`import { parseSession } from ${JSON.stringify(entry)}; ${readSeed} parseSession(readFileSync(${seedPath}));`),
  json: esm(`${readSeed} JSON.parse(readFileSync(${seedPath}, "utf8"));`),
  empty: esm(`import ${JSON.stringify(emptyModule)}; ${readSeed} JSON.parse(readFileSync(${seedPath}, "utf8"));`),
  floor: esm(`import { parseSession } from ${JSON.stringify(floorModule)}; ${readSeed} parseSession(readFileSync(${seedPath}));`),
  requirePackage: ["-e", `require(${JSON.stringify(join(root, "pkg", "node", "index.cjs"))}).parseSession(require("fs").readFileSync(${seedPath}));`],
  requireJson: ["-e", `JSON.parse(require("fs").readFileSync(${seedPath}, "utf8"));`],
};
const bareEnv = { ...process.env };
delete bareEnv.NODE_EXTRA_CA_CERTS;
const coldRuns = [
  ["machine", "package", process.env],
  ["machine", "json", process.env],
  ...Object.keys(coldScripts).map((name) => ["bare", name, bareEnv]),
];
const cold = {};
const COLD_RUNS = 41;
for (let i = 0; i < COLD_RUNS; i++) {
  // In alternating order, so that no process always runs first.
  for (const [env, name, vars] of i % 2 ? [...coldRuns].reverse() : coldRuns) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, coldScripts[name], { env: vars });
    if (run.status !== 0) throw new Error(`cold start ${name}: ${run.stderr}`);
    ((cold[env] ??= {})[name] ??= []).push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
const coldRatio = (env, name, base = "json") => median(cold[env][name]) / median(cold[env][base]);

// --- the first getSession of a process ----------------------------------------------------
// A fresh Node process that imports the package and fetches one session, against one that
// makes one fetch + JSON.parse: what a script or a serverless function pays once. The mock
// runs in a process of its own (spawnSync blocks this one), on a free port.
log("the first getSession of a fresh process");
const firstDir = mkdtempSync(join(tmpdir(), "sezzle-bench-first-"));
const urlFile = join(firstDir, "url");
const mockProcess = spawn(process.execPath, [join(root, "pkg", "mock.mjs"), "--port", "0", "--url-file", urlFile], { stdio: "ignore" });
for (let waited = 0; !existsSync(urlFile); waited += 20) {
  if (waited > 10_000) throw new Error("the mock gateway did not start");
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const firstBase = readFileSync(urlFile, "utf8").trim();
const firstAuth = await (
  await fetch(`${firstBase}/authentication`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ public_key: DEMO_KEYS.publicKey, private_key: DEMO_KEYS.privateKey }),
  })
).json();
const firstUuid = "fadbc642-05a4-4e38-9e74-80e325623af9";
const firstScripts = {
  getSession: esm(`import { getSession } from ${JSON.stringify(entry)}; await getSession(${JSON.stringify(firstUuid)}, { baseUrl: ${JSON.stringify(firstBase)}, token: ${JSON.stringify(firstAuth.token)} });`),
  fetch: esm(`const r = await fetch(${JSON.stringify(`${firstBase}/session/${firstUuid}`)}, { headers: { authorization: ${JSON.stringify(`Bearer ${firstAuth.token}`)}, accept: "application/json" } }); JSON.parse(await r.text());`),
};
const first = { getSession: [], fetch: [] };
for (let i = 0; i < 21; i++) {
  for (const name of i % 2 ? ["fetch", "getSession"] : ["getSession", "fetch"]) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, firstScripts[name], { env: bareEnv });
    if (run.status !== 0) throw new Error(`first ${name}: ${run.stderr}`);
    first[name].push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
mockProcess.kill();
const firstRatio = roundsRatio(first.getSession, first.fetch);

// --- getSession on loopback ---------------------------------------------------------------
log("getSession against the mock gateway on loopback");
const gateway = await startMockGateway();
const token = gateway.issueToken();
const url = `${gateway.baseUrl}/session/fadbc642-05a4-4e38-9e74-80e325623af9`;
// In 9 interleaved rounds, as the parse cases: a slow spell of the machine (the server shares
// it) falls on both. Each figure is the median of the rounds' medians; the ratio row adds the
// median of each round's own ratio.
const networkRounds = { "fetch + JSON.parse": [], getSession: [] };
for (let round = 0; round < 9; round++) {
  const fetchBench = new Bench({ time: (TIME * 2) / 9, warmupTime: round === 0 ? 200 : 20 });
  fetchBench.add("fetch + JSON.parse", async () => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
    JSON.parse(await response.text());
  });
  fetchBench.add("getSession", async () => {
    await api.getSession("fadbc642-05a4-4e38-9e74-80e325623af9", { baseUrl: gateway.baseUrl, token });
  });
  await fetchBench.run();
  for (const task of fetchBench.tasks) networkRounds[task.name].push(task.result.latency.p50 * 1000);
  gateway.requests.length = 0;
}
await gateway.close();
const network = Object.fromEntries(Object.entries(networkRounds).map(([name, times]) => [name, median(times)]));
const networkPaired = roundsRatio(networkRounds.getSession, networkRounds["fetch + JSON.parse"]);

// --- parse, Chromium ----------------------------------------------------------------------
log("parse cases in headless Chromium");
const MOUNTS = { "/pkg/": join(root, "pkg"), "/bench/": join(root, "bench"), "/node_modules/": join(root, "node_modules") };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  const prefix = Object.keys(MOUNTS).find((p) => path.startsWith(p));
  try {
    const body = await readFile(join(MOUNTS[prefix], path.slice(prefix.length)));
    const type = path.endsWith(".wasm") ? "application/wasm" : path.endsWith(".html") ? "text/html" : "text/javascript";
    // Cross-origin isolated: the page's clock then ticks in 5 µs, not 100 µs.
    res.writeHead(200, { "content-type": type, "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
});
let chrome;
let chromeVersion;
let chromeNetwork;
const chromeGateway = await startMockGateway();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/page.html`);
  // The page's module awaits the wasm before it defines measure().
  await page.waitForFunction(() => typeof window.measure === "function", null, { timeout: 30_000 });
  if (!(await page.evaluate(() => globalThis.crossOriginIsolated))) throw new Error("the benchmark page is not cross-origin isolated: its clock would be coarse");
  chromeVersion = browser.version();
  chrome = await page.evaluate(({ payloads, time }) => window.measure(payloads, time), { payloads, time: TIME });
  log("getSession against the mock gateway, in headless Chromium");
  chromeNetwork = await page.evaluate((args) => window.measureNetwork(args), {
    baseUrl: chromeGateway.baseUrl,
    token: chromeGateway.issueToken(),
    uuid: "fadbc642-05a4-4e38-9e74-80e325623af9",
    time: TIME * 2,
    rounds: 9,
  });
} finally {
  await browser.close();
  server.close();
  await chromeGateway.close();
}
const chromeNetworkPaired = roundsRatio(chromeNetwork.getSession, chromeNetwork["fetch + JSON.parse"]);

// --- report -------------------------------------------------------------------------------
const at = (rows, payload, name) => rows.find((r) => r.payload === payload && r.name === name)?.us;
const ratio = (a, b) => (a === undefined || b === undefined ? "n/a" : `${(a / b).toFixed(2)}x`);
const OURS = ["parseSession(string)", "parseSession(Uint8Array)", "parseSession(object)", "checkoutUrl(session)"];
const BASES = ["JSON.parse", ...Object.keys(baselines).map((n) => `JSON.parse + ${n}`)];

function table(rows, engine) {
  const names = [...new Set(rows.map((r) => r.name))];
  const lines = [`| ${engine}: µs per call (median) | ${Object.keys(payloads).join(" | ")} |`, `| --- |${" ---: |".repeat(Object.keys(payloads).length)}`];
  for (const name of names) lines.push(`| ${name} | ${Object.keys(payloads).map((p) => at(rows, p, name)?.toFixed(2) ?? "n/a").join(" | ")} |`);
  return lines.join("\n");
}

function ratios(rows, engine) {
  const bases = BASES.filter((b) => rows.some((r) => r.name === b));
  const lines = [`| ${engine}: ratio | payload | ${bases.map((b) => `vs ${b}`).join(" | ")} |`, `| --- | --- |${" ---: |".repeat(bases.length)}`];
  for (const name of OURS.slice(0, 3)) {
    for (const p of Object.keys(payloads)) lines.push(`| ${name} | ${p} | ${bases.map((b) => ratio(at(rows, p, name), at(rows, p, b))).join(" | ")} |`);
  }
  return lines.join("\n");
}

// parseSession(Uint8Array) against decoding the bytes and JSON.parse, each payload.
const bytesRatios = (rows, engine) =>
  `${engine} ${Object.keys(payloads).map((p) => `${p} ${ratio(at(rows, p, "parseSession(Uint8Array)"), at(rows, p, BYTES_BASELINE))}`).join(", ")}`;

const netRatio = network.getSession / network["fetch + JSON.parse"];
// A target's ratio is taken within rounds (roundsRatio).
const roundsOf = (rows, p, name) => rows.find((row) => row.payload === p && row.name === name).rounds;
const paired = (rows, p, name, base) => roundsRatio(roundsOf(rows, p, name), roundsOf(rows, p, base));
const r = (name, p, base = "JSON.parse") => paired(node, p, name, base);
const chromeRatio = (name, p) => paired(chrome, p, name, "JSON.parse");
const invalidRatio = (base) => roundsRatio(invalidTimes.safeParseSession, invalidTimes[base]);
// [what, this run, target, "<" for a strict bound]
const targets = [
  ["`parseSession(string)`, seed, vs `JSON.parse`, Node", r("parseSession(string)", "seed"), 0.9],
  ["`parseSession(string)`, seed, vs `JSON.parse`, Chromium", chromeRatio("parseSession(string)", "seed"), 1.3],
  ["`parseSession(string)`, seed, vs `JSON.parse` + valibot", r("parseSession(string)", "seed", "JSON.parse + valibot"), 1.0, "<"],
  ["`parseSession(Uint8Array)`, seed, vs `JSON.parse` of the text", r("parseSession(Uint8Array)", "seed"), 1.5],
  ["`parseSession(Uint8Array)`, seed, vs `JSON.parse` of the text, Chromium", chromeRatio("parseSession(Uint8Array)", "seed"), 1.2],
  ["`parseSession(string)`, large, vs `JSON.parse`", r("parseSession(string)", "large"), 2.0],
  ["`parseSession(object)`, seed, vs `JSON.parse` of its text", r("parseSession(object)", "seed"), 1.5],
  ["the same vs zod on the object (its `parse`, as the other zod rows)", r("parseSession(object)", "seed", "zod of the object"), 1.0, "<"],
  ["the same vs valibot on the object (its `parse`)", r("parseSession(object)", "seed", "valibot of the object"), 1.0, "<"],
  ["`safeParseSession`, invalid seed (4 issues), vs `JSON.parse` of it", invalidRatio("JSON.parse"), 3.0],
  ["the same vs `JSON.parse` + zod `safeParse`", invalidRatio("JSON.parse + zod safeParse"), 1.0, "<"],
  ["the same vs `JSON.parse` + valibot `safeParse`", invalidRatio("JSON.parse + valibot safeParse"), 1.0, "<"],
  ["`checkoutUrl(session)`, a parsed session, vs `JSON.parse` of the seed", r("checkoutUrl(session)", "seed"), 1.0],
  ["the parser module, `.wasm` gzip -9, KB", sizes.wasmGzip / 1024, 32],
  ["a parse-only app, default entry, all a Vite 8 build emits, gzip -9, KiB", (sizes.vite.parse ?? NaN) / 1024, 48],
  ["the same app on the slim entry (+ its .wasm; what its page loads), KiB", (sizes.vite["slim-parse"] ?? NaN) / 1024, 36],
  ["an app that parses and calls `getSession`, default entry, all it downloads by the end of its first call (Vite 8), KiB", (sizes.vite.web ?? NaN) / 1024, 96],
  ["cold start vs `JSON.parse`-only process (this machine's node)", pairedRatio("machine", "package", "json"), 1.25],
  ["cold start vs `JSON.parse`-only process (bare node)", pairedRatio("bare", "package", "json"), 1.2],
  ["the first `getSession` of a fresh Node process vs a first `fetch` + `JSON.parse` (bare node)", firstRatio, 1.3],
  ["`getSession` vs `fetch` + `JSON.parse`, loopback, Node", networkPaired, 1.4],
  ["`getSession` vs `fetch` + `JSON.parse`, loopback, Chromium", chromeNetworkPaired, 1.2],
  ["a body chunk read by `getSession` vs by a plain JS reader, Node", chunkRatio, 2.0],
];
const targetTable = [
  "| measure | this run | target | met |",
  "| --- | ---: | ---: | :---: |",
  ...targets.map(([what, got, limit, strict]) => `| ${what} | ${got.toFixed(2)} | ${strict ? "<" : "≤"} ${limit.toFixed(2)} | ${(strict ? got < limit : got <= limit) ? "yes" : "**no**"} |`),
].join("\n");

// Each round runs every script back to back, so a round's own ratio is paired in time.
function pairedRatio(env, name, base) {
  return roundsRatio(cold[env][name], cold[env][base]);
}

function coldRows() {
  const row = (what, env, name, base = "json") =>
    `| ${what} | ${median(cold[env][name]).toFixed(1)} | ${median(cold[env][base]).toFixed(1)} | ${coldRatio(env, name, base).toFixed(2)}x | ${pairedRatio(env, name, base).toFixed(2)}x |`;
  return [
    row(`fresh Node process as this machine runs it (NODE_EXTRA_CA_CERTS set): \`import\` + parse the seed vs JSON.parse only (median of ${COLD_RUNS}, ms)`, "machine", "package"),
    row("the same, bare node (no extra CA certificates)", "bare", "package"),
    row("bare node: \`import\` of an empty ES module vs JSON.parse only (what any ESM import costs)", "bare", "empty"),
    row("bare node: the parser module alone, imported and scanning the seed once (its base64 in an ES module, compiled, instantiated; none of the package's JS) vs JSON.parse only", "bare", "floor"),
    row("bare node: \`require\` + parse the seed vs JSON.parse only", "bare", "requirePackage", "requireJson"),
  ].join("\n");
}

const report = `# Benchmark results

Written by \`make bench\` (bench/run.mjs); every ratio is taken within this one run.
Node ${process.version}, Chromium ${chromeVersion}, ${new Date().toISOString().slice(0, 10)}, tinybench, ${TIME} ms per case in 9 interleaved rounds, each starting at another case (a time is the median of the rounds' medians; a target's ratio the median of the rounds' own ratios).
Payloads: seed (Sezzle's documented example, ${payloads.seed.length} B), minimal (an order-only session, ${payloads.minimal.length} B),
large (${JSON.parse(payloads.large).links.length + JSON.parse(payloads.large).order.links.length} links, ${kb(payloads.large.length)}).
Baselines: bench/schemas.mjs (the same rules in zod ${pkgVersion("zod")}, valibot ${pkgVersion("valibot")}, ajv ${pkgVersion("ajv")} with ajv-formats).

## Targets

${targetTable}

## Parse, Node

${table(node, "Node")}

${ratios(node, "Node")}

## Parse, Chromium

Batches of 200 calls per sample (the page's clock is coarse); zod and ajv are not loaded in the
page (ajv is CommonJS and zod's ESM tree needs a bundler), valibot is.

${table(chrome, "Chromium")}

${ratios(chrome, "Chromium")}

\`parseSession(Uint8Array)\` against what a caller holding the bytes does without the package
(\`JSON.parse\` of \`TextDecoder\`'s text; not a target, which is against \`JSON.parse\` of the
text): ${bytesRatios(chrome, "Chromium")}; ${bytesRatios(node, "Node")}.

## Size

| file | raw | gzip -9 | brotli |
| --- | ---: | ---: | ---: |
| sezzle_session_bg.wasm, the parser module (compiled at import) | ${kb(sizes.wasmRaw)} | ${kb(sizes.wasmGzip)} | ${kb(sizes.wasmBrotli)} |
| sezzle_session_client_bg.wasm, the client module (compiled on the first client call; in browsers, of authenticate or SezzleClient) | ${kb(sizes.clientRaw)} | ${kb(sizes.clientGzip)} | ${kb(sizes.clientBrotli)} |
| sezzle_session_get_bg.wasm, the getSession module (browsers: compiled on the first getSession call) | ${kb(sizes.getRaw)} | ${kb(sizes.getGzip)} | ${kb(sizes.getBrotli)} |
| JS, web/slim.js and what it imports at once (${slimFiles.length} files; loads the parser .wasm) | | ${kb(sizes.slimJs)} | |
| JS, web/index.js, the zero-configuration entry's file (the parser module inlined as hex; its chunks apart) | ${kb(sizes.inlinedRaw)} | ${kb(sizes.inlinedGzip)} | ${kb(sizes.inlinedBrotli)} |

Vite 8 builds of the bundler suite's apps (tests/bundlers/apps), all each emits, gzip -9:
parse-only ${kb(sizes.vite.parse ?? NaN)}, parse-only on the slim entry ${kb(sizes.vite["slim-parse"] ?? NaN)},
parsing and fetching with getSession ${kb(sizes.vite.web ?? NaN)} (on the slim entry ${kb(sizes.vite.slim ?? NaN)}),
parsing, fetching and making a SezzleClient ${kb(sizes.vite.client ?? NaN)}.

## An invalid payload

Sezzle's example with 4 issues, median µs per call in Node:
${Object.entries(invalid).map(([name, us]) => `${name} ${us.toFixed(2)}`).join("; ")}.

## Strings copied

The seed padded to just under and just over 16 KiB, the size from which a session copies its
strings out of a text 4x larger than what it keeps (median µs per call): sliced
${median(copyTimes["sliced (16 KiB - 1)"]).toFixed(2)}, copied ${median(copyTimes["copied (16 KiB + 1)"]).toFixed(2)}; the copies cost
${copyCost.toFixed(2)} µs, ${((copyCost / seedParse) * 100).toFixed(0)} % of a parse of the unpadded seed (${seedParse.toFixed(2)} µs).

## Cold start and network

| measure | ours | baseline | ratio of medians | median of the rounds' ratios |
| --- | ---: | ---: | ---: | :---: |
${coldRows()}
| bare node: \`import\` + the first getSession vs a first fetch + JSON.parse, on loopback (median of 21, ms) | ${median(first.getSession).toFixed(1)} | ${median(first.fetch).toFixed(1)} | ${(median(first.getSession) / median(first.fetch)).toFixed(2)}x | ${firstRatio.toFixed(2)}x |
| getSession vs fetch + JSON.parse on loopback (median, µs) | ${network.getSession.toFixed(0)} | ${network["fetch + JSON.parse"].toFixed(0)} | ${netRatio.toFixed(2)}x | ${networkPaired.toFixed(2)}x |
| the same in Chromium | ${median(chromeNetwork.getSession).toFixed(0)} | ${median(chromeNetwork["fetch + JSON.parse"]).toFixed(0)} | ${(median(chromeNetwork.getSession) / median(chromeNetwork["fetch + JSON.parse"])).toFixed(2)}x | ${chromeNetworkPaired.toFixed(2)}x |
| a body chunk, getSession vs a plain JS reader (${CHUNKS} one-byte chunks, µs per chunk) | ${median(chunkTimes.getSession).toFixed(2)} | ${median(chunkTimes["plain JS reader"]).toFixed(2)} | ${(median(chunkTimes.getSession) / median(chunkTimes["plain JS reader"])).toFixed(2)}x | ${chunkRatio.toFixed(2)}x |
`;

function pkgVersion(name) {
  return JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;
}

writeFileSync(join(root, "bench", "node_results.md"), report);
const readme = readFileSync(join(root, "README.md"), "utf8");
const marked = /(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/;
if (marked.test(readme)) writeFileSync(join(root, "README.md"), readme.replace(marked, `$1${targetTable}\n$2`));
console.log(report);
