// The packed package (target/consumer/sezzle-session-*.tgz, from `make pack`) on the other
// runtimes the package's users deploy on: Deno and Bun (the Node entries: `import`, and
// `require` in Bun), Cloudflare's workerd, with each worker built by wrangler as a user's is
// (`wrangler deploy --dry-run`, which resolves the package's "workerd" entry) and run by
// workerd as Cloudflare runs the upload, and Firefox (the browser entry). Every app runs
// apps/checks.mjs against the mock gateway on 127.0.0.1, and its answer must be the one the
// same code gives under Node; apps/hostile.mjs runs in each engine too.
// `make test-runtimes` runs this file.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { basename, extname, isAbsolute, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const modules = join(here, "node_modules");
const apps = join(here, "apps");
const work = join(here, ".work");
const installed = join(modules, "sezzle-session");
const seedText = readFileSync(join(root, "tests", "fixtures", "valid", "seed.json"), "utf8");
const seed = JSON.parse(seedText);
// Debian's firefox-esr (scripts/setup.sh installs it for make test).
const FIREFOX = "/usr/bin/firefox-esr";

// ---- processes: each in its own group, ended whatever happens ----

const running = new Set();
process.on("exit", () => {
  for (const child of running) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  }
});

function start(command, args, { cwd = here, env = {} } = {}) {
  const child = spawn(command, args, { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", ...env } });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  running.add(child);
  child.exited = new Promise((resolve) => child.on("close", (code, signal) => (running.delete(child), resolve({ code, signal }))));
  child.output = () => output;
  return child;
}

async function stop(child) {
  if (!running.has(child)) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {}
  await child.exited;
}

/** Runs a command to its end (at most `seconds`); its stdout, or a failure with its output. */
async function run(command, args, options = {}, seconds = 120) {
  const child = start(command, args, options);
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  const timer = setTimeout(() => stop(child), seconds * 1000);
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  assert.equal(code, 0, `${[command, ...args].join(" ")} exited with ${code ?? signal}:\n${child.output()}`);
  return stdout;
}

/** A package's own command, run as npm's .bin would (a JS launcher with this node). */
function bin(name, command = name) {
  const manifest = JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8"));
  const path = join(modules, name, typeof manifest.bin === "string" ? manifest.bin : manifest.bin[command]);
  const native = readFileSync(path).subarray(0, 4).equals(Buffer.from("\x7fELF", "latin1"));
  return native ? [path] : [process.execPath, path];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject).listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ---- set-up: the tarball installed by name, the mock gateway, Node's own answer ----

let mock;
let input; // what every app is given
let expected; // what checks.mjs answers under Node
let expectedHostile; // what apps/hostile.mjs answers under Node, in this process

before(async () => {
  const consumer = join(root, "target", "consumer");
  const tarballs = existsSync(consumer) ? readdirSync(consumer).filter((n) => /^sezzle-session-.*\.tgz$/.test(n)) : [];
  assert.equal(tarballs.length, 1, `one packed tarball in target/consumer (make pack writes it), found: ${JSON.stringify(tarballs)}`);
  assert.ok(existsSync(join(modules, "wrangler")), "tests/runtimes/node_modules is not installed: npm ci --prefix tests/runtimes (make test-runtimes does)");
  // As `npm install <tgz>` would lay it out (the package has no dependencies).
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(installed);
  execFileSync("tar", ["xzf", join(consumer, tarballs[0]), "-C", installed, "--strip-components=1"]);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const { startMockGateway } = await import(join(installed, "mock.mjs"));
  mock = await startMockGateway();
  input = { seedText, baseUrl: mock.baseUrl, token: mock.issueToken(), keys: mock.keys, uuid: seed.uuid, unknown: "00000000-0000-4000-8000-000000000000" };
  const { checks } = await import(join(apps, "checks.mjs"));
  // (As JSON, as every other runtime's answer arrives.)
  expected = JSON.parse(JSON.stringify(await checks(await import(join(installed, "node", "index.mjs")), input)));
  const { hostile } = await import(join(apps, "hostile.mjs"));
  expectedHostile = hostile(await import(join(installed, "node", "index.mjs")), seedText);
});

after(async () => {
  await Promise.all([...running].map(stop));
  await mock?.close();
});

// Node's answer is the reference; it is first held to the fixture, so that an answer every
// runtime got wrong alike still fails.
test("under Node, the apps' checks read the seed, refuse what they must, and fetch from the mock gateway", () => {
  // (The documentation's tokenize block, inside order, is the session's own: README, quirks.)
  assert.deepEqual(expected.parsed, [seed.uuid, seed.order.uuid, seed.order.links.length, seed.order.tokenize.expiration]);
  assert.equal(expected.bytes, seed.order.checkout_url);
  assert.equal(expected.checkoutUrl, seed.order.checkout_url);
  assert.equal(expected.approvalUrl, seed.order.tokenize.approval_url);
  assert.equal(expected.lookalike.typed, true, "a look-alike host is refused with a SezzleError");
  assert.deepEqual(expected.lookalike.issue, ["order.checkout_url", expected.lookalike.issue[1]]);
  assert.ok(expected.invalid.some(([path]) => path === "uuid"), JSON.stringify(expected.invalid));
  assert.equal(expected.getSession, seed.uuid);
  assert.equal(expected.client, seed.order.uuid);
  assert.deepEqual(expected.unknown, { kind: "http", status: 404, typed: true });
});

const runtimeEnv = { SEZZLE_INPUT: () => JSON.stringify(input), DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", DO_NOT_TRACK: "1" };
const envOf = () => Object.fromEntries(Object.entries(runtimeEnv).map(([k, v]) => [k, typeof v === "function" ? v() : v]));

test("Deno imports the package (its Node entry) and gives Node's answers, with network access to 127.0.0.1 alone", async () => {
  const [command, ...args] = bin("deno");
  const out = await run(command, [...args, "run", "--allow-read", "--allow-env", "--allow-net=127.0.0.1", join(apps, "esm.mjs")], { env: envOf() });
  assert.deepEqual(JSON.parse(out), expected);
});

test("Bun imports the package and gives Node's answers", async () => {
  const [command, ...args] = bin("bun");
  assert.deepEqual(JSON.parse(await run(command, [...args, join(apps, "esm.mjs")], { env: envOf() })), expected);
});

test("Bun requires the package (CommonJS) and gives Node's answers", async () => {
  const [command, ...args] = bin("bun");
  assert.deepEqual(JSON.parse(await run(command, [...args, join(apps, "cjs.cjs")], { env: envOf() })), expected);
});

// apps/hostile.mjs: hostile callers and the stack's end, in each runtime's own engine (Bun's
// is JavaScriptCore, which checks the stack at each wasm function's entry: there a call into
// the parser module cut short by the stack's end once went unreported, and a later call met
// the broken instance).
for (const [runtime, args] of [
  ["Node", () => [process.execPath]],
  ["Deno", () => [...bin("deno"), "run", "--allow-read", "--allow-env"]],
  ["Bun", () => bin("bun")],
]) {
  test(`${runtime}: hostile payloads, objects that lie and calls at the stack's end give a session or a SezzleError, and the package stays whole`, async () => {
    const [command, ...rest] = args();
    const answer = JSON.parse(await run(command, [...rest, join(apps, "hostile-run.mjs")], { env: envOf() }));
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.deep, true, "calls were made at the stack's end");
    // Every engine reads every generated case alike (1500 texts, as text and as bytes).
    assert.deepEqual(expectedHostile.problems, []);
    assert.deepEqual(answer.kinds, expectedHostile.kinds);
    assert.equal(Object.values(answer.kinds.text).reduce((a, b) => a + b), 1500);
  });
}

// ---- Firefox ----

// The package's browser entry in Firefox (Debian's firefox-esr, driven by puppeteer-core over
// WebDriver BiDi), from a page on 127.0.0.1: checks.mjs against the mock gateway (CORS) and the
// hostile callers, in SpiderMonkey, whose stack's end is an InternalError, not a RangeError.
test("Firefox: the browser entry gives Node's answers, and hostile callers and the stack's end give Node's verdicts", async () => {
  const { default: puppeteer } = await import("puppeteer-core");
  const MOUNTS = { "/pkg/": installed, "/apps/": apps };
  const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".html": "text/html", ".wasm": "application/wasm" };
  const server = createHttpServer((request, response) => {
    const path = new URL(request.url, "http://x").pathname;
    const mount = Object.keys(MOUNTS).find((prefix) => path.startsWith(prefix));
    const file = mount && join(MOUNTS[mount], path.slice(mount.length));
    // (Only files inside a mount: join resolves any `..` the request holds.)
    if (!file || !file.startsWith(MOUNTS[mount] + sep) || !existsSync(file)) return response.writeHead(404).end();
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await puppeteer.launch({ browser: "firefox", executablePath: FIREFOX, headless: true });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`http://127.0.0.1:${server.address().port}/apps/firefox.html`);
    await page.waitForFunction(() => window.ready === true, { timeout: 30_000 });
    const answer = JSON.parse(JSON.stringify(await page.evaluate((input) => window.run(input), input)));
    assert.deepEqual(answer.checks, expected);
    assert.deepEqual(answer.hostile.problems, []);
    assert.equal(answer.hostile.deep, true);
    assert.deepEqual(answer.hostile.kinds, expectedHostile.kinds);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});

// ---- workerd ----

/** Builds the worker `app` (a file of apps/, or a path) with wrangler as `wrangler deploy` would; its files. */
async function buildWorker(app) {
  const outdir = join(work, basename(app).replace(/\.mjs$/, ""));
  const [command, ...args] = bin("wrangler");
  await run(command, [...args, "deploy", "--dry-run", "--outdir", outdir, "--name", "sezzle-test", "--compatibility-date", "2026-04-01", isAbsolute(app) ? app : join(apps, app)], {
    cwd: work,
    env: { WRANGLER_SEND_METRICS: "false", CI: "true", WRANGLER_LOG_PATH: join(work, "wrangler-logs") },
  });
  const main = readdirSync(outdir).find((name) => name.endsWith(".js"));
  const code = readFileSync(join(outdir, main), "utf8");
  const imported = [...code.matchAll(/^import \w+ from "\.\/([^"]+\.wasm)";$/gm)].map((m) => m[1]);
  return { outdir, main, code, imported, emitted: readdirSync(outdir).filter((name) => name.endsWith(".wasm")) };
}

/** Runs a built worker in workerd with the modules its code imports and `bindings` (text); its URL and process. */
async function serveWorker({ outdir, main, imported }, bindings = {}) {
  const port = await freePort();
  const modulesList = [`(name = "${main}", esModule = embed "${main}")`, ...imported.map((name) => `(name = "${name}", wasm = embed "${name}")`)];
  writeFileSync(
    join(outdir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The mock gateway is on loopback: the default network service refuses private addresses.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ ${modulesList.join(", ")} ],
  bindings = [ ${Object.entries(bindings).map(([name, text]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(text)})`).join(", ")} ],
  compatibilityDate = "2026-04-01",
);
`,
  );
  const [command, ...args] = bin("workerd");
  const child = start(command, [...args, "serve", join(outdir, "config.capnp")], { cwd: outdir });
  const url = `http://127.0.0.1:${port}/`;
  for (let tries = 0; ; tries++) {
    try {
      await fetch(url, { method: "HEAD" });
      return { url, child };
    } catch (error) {
      if (tries > 200 || !running.has(child)) throw new Error(`workerd did not start: ${child.output()}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

// workerd refuses to compile WebAssembly once a request is being served: getSession and
// SezzleClient work only because their modules came in compiled, as imports.
test("a Worker built by wrangler fetches and parses in workerd, with the modules imported as modules, and gives Node's answers", async () => {
  const built = await buildWorker("worker.mjs");
  assert.match(built.code, /node_modules\/sezzle-session\/web\/workerd-parser\.js/, "wrangler took the package's workerd entry");
  assert.deepEqual(built.imported.map((name) => name.replace(/^[0-9a-f]+-/, "")).sort(), ["sezzle_session_bg.wasm", "sezzle_session_client_bg.wasm", "sezzle_session_get_bg.wasm"]);
  const { url, child } = await serveWorker(built);
  const response = await fetch(url, { method: "POST", body: JSON.stringify(input) });
  const text = await response.text();
  assert.equal(response.status, 200, `${text}\n${child.output()}`);
  assert.deepEqual(JSON.parse(text), expected);
  await stop(child);
});

test("a Worker that only parses imports the parser module alone and runs in workerd with it", async () => {
  const built = await buildWorker("parse-worker.mjs");
  assert.deepEqual(built.imported.map((name) => name.replace(/^[0-9a-f]+-/, "")), ["sezzle_session_bg.wasm"]);
  assert.doesNotMatch(built.code, /GatewayClient|session_getter|CLIENT_WASM|GET_WASM/, "none of the client's code");
  const { url, child } = await serveWorker(built);
  const response = await fetch(url, { method: "POST", body: seedText });
  assert.equal(response.status, 200, child.output());
  assert.deepEqual(await response.json(), [seed.uuid, seed.order.checkout_url]);
  await stop(child);
});

test("a Worker on the slim entry runs with the modules it hands over, and is told which one it left out", async () => {
  const built = await buildWorker("slim-worker.mjs");
  assert.deepEqual(built.imported.map((name) => name.replace(/^[0-9a-f]+-/, "")).sort(), ["sezzle_session_bg.wasm", "sezzle_session_get_bg.wasm"]);
  const { url, child } = await serveWorker(built);
  const response = await fetch(url, { method: "POST", body: JSON.stringify(input) });
  const text = await response.text();
  assert.equal(response.status, 200, `${text}\n${child.output()}`);
  const answer = JSON.parse(text);
  assert.equal(answer.uuid, seed.uuid);
  // workerd gives a module no URL of its own: the client module, not given, cannot be found
  // beside it, and the call says which module and why.
  assert.equal(answer.beside.kind, "internal");
  assert.match(answer.beside.message, /^sezzle-session: the client module could not be loaded: .*URL/);
  await stop(child);
});

test("workerd: hostile payloads, objects that lie and calls at the stack's end, through the workerd entry, give Node's verdicts and leave it whole", async () => {
  const built = await buildWorker("hostile-worker.mjs");
  const { url, child } = await serveWorker(built);
  const response = await fetch(url, { method: "POST", body: seedText });
  const text = await response.text();
  assert.equal(response.status, 200, `${text}\n${child.output()}`);
  const answer = JSON.parse(text);
  assert.deepEqual(answer.problems, []);
  assert.equal(answer.deep, true);
  assert.deepEqual(answer.kinds, expectedHostile.kinds);
  await stop(child);
});

// The README's Worker sample, as it is: its secrets come as the worker's bindings.
test("the README's Worker sample runs in workerd: a session's checkout URL, a 404 for an unknown one", async () => {
  const blocks = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const samples = blocks.filter((code) => code.includes("async fetch(request, env)"));
  assert.equal(samples.length, 1);
  const file = join(work, "readme-worker.mjs");
  writeFileSync(file, samples[0]);
  const built = await buildWorker(file);
  const { url, child } = await serveWorker(built, { SEZZLE_TOKEN: input.token, SEZZLE_BASE_URL: mock.baseUrl });
  const found = await fetch(`${url}?session=${seed.uuid}`);
  assert.equal(found.status, 200, child.output());
  assert.deepEqual(await found.json(), { checkout: seed.order.checkout_url });
  const missing = await fetch(`${url}?session=${input.unknown}`);
  assert.equal(missing.status, 404);
  assert.equal(await missing.text(), "no such session");
  await stop(child);
});
