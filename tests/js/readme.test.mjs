// Every code sample in README.md runs (or, for the two commands, is what the Makefile has):
// JavaScript in Node against the mock gateway, and type-checked under tsc --strict; the HTML
// page in Chromium; the shell lines as a user types them; the TypeScript interfaces against
// the package's declarations; the Rust lines found in code that the Rust suites build and run.
// A sample that breaks fails here.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchChromium, serveConsumer } from "./chromium.mjs";
import { consumer, fixtureText, root } from "./packed.mjs";
import { startMockGateway } from "./mock.mjs";

const README = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1],
  code: m[2],
  line: README.slice(0, m.index).split("\n").length,
}));
const of = (lang) => blocks.filter((b) => b.lang === lang);
const SEED = fixtureText("valid/seed.json");
const SEED_UUID = JSON.parse(SEED).uuid;

test("every sample is of a kind this suite runs", () => {
  for (const { lang, line } of blocks) assert.ok(["js", "html", "sh", "ts", "rust", "text", "toml"].includes(lang), `README.md:${line}: \`\`\`${lang}`);
  assert.ok(of("js").length >= 8);
});

// Every sample is run as the file it is: nothing is added to it. What a user would give it
// comes as a user gives it: environment variables naming a mock gateway the suite starts on
// 127.0.0.1 (SEZZLE_BASE_URL, SEZZLE_TOKEN, SEZZLE_PUBLIC_KEY, SEZZLE_PRIVATE_KEY,
// SEZZLE_SESSION_UUID), a payload file on the command line where a sample reads one, and for
// the page samples the routes a page's backend would serve. A preloaded guard refuses any
// fetch past loopback, so a sample that forgot the mock fails here rather than reaching out.
const isCommonJs = (code) => /\brequire\(/.test(code);
// A page's samples: the slim entry's (they load the .wasm from beside web/slim.js) and those
// that fetch from their page's backend. The others run in Node.
const inBrowser = ({ code }) => (code.includes('"sezzle-session/slim"') || code.includes('fetch("/')) && !viteOnly({ code });
// A sample that imports a file's URL with Vite's `?url` runs under Vite's dev servers, in
// tests/bundlers (apps/slim-url/main.js holds its lines); here it is only found there.
const viteOnly = ({ code }) => code.includes('?url"');
// A Cloudflare Worker's sample runs in workerd, in tests/runtimes (built by wrangler); here it
// is only found there and type-checked.
const workerOnly = ({ code }) => code.includes("async fetch(request, env)");
const printed = [];

const GUARD = `const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) throw new Error(\`a README sample fetched \${url.origin}: only loopback is allowed in the tests\`);
  return realFetch(input, init);
};
`;

test("each JavaScript sample for Node runs there as it is, against the mock gateway", async () => {
  const dir = join(consumer, "readme-run");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(join(dir, "guard.mjs"), GUARD);
  const gateway = await startMockGateway();
  try {
    const env = {
      ...process.env,
      SEZZLE_BASE_URL: gateway.baseUrl,
      SEZZLE_TOKEN: gateway.issueToken(),
      SEZZLE_PUBLIC_KEY: gateway.keys.publicKey,
      SEZZLE_PRIVATE_KEY: gateway.keys.privateKey,
      SEZZLE_SESSION_UUID: SEED_UUID,
    };
    const payload = join(dir, "session.json");
    writeFileSync(payload, SEED);
    for (const block of of("js").filter((b) => !inBrowser(b) && !viteOnly(b) && !workerOnly(b))) {
      const file = join(dir, `sample-${block.line}.${isCommonJs(block.code) ? "cjs" : "mjs"}`);
      writeFileSync(file, block.code);
      const args = block.code.includes("process.argv[2] ?? 0") ? [payload] : [];
      // (Not spawnSync: the mock gateway answers from this process.)
      const child = spawn(process.execPath, ["--import", join(dir, "guard.mjs"), file, ...args], { cwd: consumer, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const [code] = await once(child, "exit");
      assert.equal(code, 0, `README.md:${block.line} exited with ${code}: ${stderr}`);
      printed.push(stdout);
    }
  } finally {
    await gateway.close();
  }
});

test("each page sample runs in Chromium as it is: the .wasm from beside the entry, the token from its backend", async () => {
  const pageBlocks = of("js").filter(inBrowser);
  assert.ok(pageBlocks.length >= 2);
  const gateway = await startMockGateway();
  const browser = await launchChromium();
  try {
    for (const block of pageBlocks) {
      const page = `<script type="importmap">{"imports":{"sezzle-session/slim":"/node_modules/sezzle-session/web/slim.js","sezzle-session":"/node_modules/sezzle-session/web/index.js"}}</script>
<script type="module" src="/sample.js"></script>`;
      const token = JSON.stringify({ token: gateway.issueToken(), sessionUuid: SEED_UUID, baseUrl: gateway.baseUrl });
      const server = await serveConsumer({ "/": [page], "/sample.js": [block.code], "/session.json": [SEED], "/api/sezzle-token": [token] });
      try {
        const tab = await browser.newPage();
        const errors = [];
        const lines = [];
        tab.on("pageerror", (e) => errors.push(e.message));
        tab.on("console", (m) => m.type() === "log" && lines.push(m.text()));
        const logged = tab.waitForEvent("console", { predicate: (m) => m.type() === "log", timeout: 15_000 });
        await tab.goto(`http://127.0.0.1:${server.address().port}/`);
        await logged;
        assert.deepEqual(errors, [], `README.md:${block.line}`);
        printed.push(lines.join("\n"));
      } finally {
        server.close();
      }
    }
  } finally {
    await browser.close();
    await gateway.close();
  }
});

test("what the samples print is what they say", () => {
  const order = JSON.parse(SEED).order;
  const has = (predicate, what) => assert.ok(printed.some(predicate), `${what}; printed: ${JSON.stringify(printed)}`);
  has((out) => out === `${order.uuid} ${order.checkout_url}\n`, "the ESM sample prints the order and its checkout URL");
  has((out) => out === `valid: ${SEED_UUID}\n`, "the CommonJS sample checks the payload file it is given");
  has((out) => out === `${order.uuid}\n`, "the backend sample prints the order's uuid");
  has((out) => out.startsWith(`${order.uuid}\n503\n`), "the mock sample prints the order, then the scripted 503");
  has((out) => out.startsWith("true http 404 "), "a SezzleError made by hand");
  has((out) => out.startsWith("[ 'uuid' ] expected a string"), "the Standard Schema sample prints the issue");
  has((out) => out.split("\n").some((l) => l.startsWith('{"type":"response","method":"GET"')), "the onEvent sample prints the events");
  has((out) => out === SEED_UUID, "the slim sample prints the session's uuid");
  has((out) => out === order.uuid, "the browser sample prints the order of the session its token fetched");
});

test("each JavaScript sample type-checks under tsc --strict (checkJs), as an ES module or CommonJS", () => {
  const dir = join(consumer, "readme-types");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  // The samples as they are, in .mjs and .cjs files, with nothing declared for them.
  const files = of("js").filter((b) => !viteOnly(b)).map((block) => {
    const name = `sample-${block.line}.${isCommonJs(block.code) ? "cjs" : "mjs"}`;
    writeFileSync(join(dir, name), block.code);
    return name;
  });
  // The interfaces of "The Session", each the same type as the package's.
  const [interfaces] = of("ts");
  const names = [...interfaces.code.matchAll(/^interface (\w+)/gm)].map((m) => m[1]);
  writeFileSync(join(dir, "interfaces.mts"), [
    `import type * as P from "sezzle-session";`,
    interfaces.code.replace(/\bIssueCode\b/g, "P.IssueCode"),
    "type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;",
    ...names.map((n) => `export const same${n}: Same<${n}, P.${n}> = true;`),
  ].join("\n"));
  files.push("interfaces.mts");
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, allowJs: true, checkJs: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "dom"], types: ["node"], skipLibCheck: false },
    files,
  }));
  execFileSync(join(root, "node_modules", ".bin", "tsc"), ["-p", dir], { cwd: dir, encoding: "utf8" });
});

test("the Vite sample is the app tests/bundlers runs under Vite 5 to 8's dev servers", () => {
  const app = readFileSync(join(root, "tests", "bundlers", "apps", "slim-url", "main.js"), "utf8").replace(/\s+/g, "");
  const samples = of("js").filter(viteOnly);
  assert.equal(samples.length, 1);
  for (const line of samples[0].code.split("\n").filter((l) => l.trim())) {
    assert.ok(app.includes(line.replace(/\s+/g, "")), `README.md:${samples[0].line}: ${line} is not in apps/slim-url/main.js`);
  }
});

test("the Worker sample is the one tests/runtimes builds with wrangler and runs in workerd", () => {
  const samples = of("js").filter(workerOnly);
  assert.equal(samples.length, 1);
  const suite = readFileSync(join(root, "tests", "runtimes", "runtimes.test.mjs"), "utf8");
  assert.match(suite, /README's Worker sample/, "tests/runtimes runs the sample");
  assert.match(suite, /async fetch\(request, env\)/, "and finds it as this suite does");
});

test("the HTML sample, served as it is, links a Sezzle checkout URL and nothing else", async () => {
  const [page] = of("html");
  const server = await serveConsumer({ "/": [page.code] });
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.fill("#payload", SEED);
    await tab.waitForFunction(() => !document.querySelector("#pay").hidden, null, { timeout: 15_000 });
    assert.equal(await tab.getAttribute("#pay", "href"), JSON.parse(SEED).order.checkout_url);
    const parsed = JSON.parse(SEED);
    parsed.order.checkout_url = parsed.order.checkout_url.replace("checkout.sezzle.com", "checkout.sezzle.com.evil.example");
    const lookalike = JSON.stringify(parsed);
    await tab.fill("#payload", lookalike);
    await tab.waitForFunction(() => document.querySelector("#pay").hidden, null, { timeout: 15_000 });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});

test("the shell samples: the two commands are the Makefile's, the install lines install", () => {
  const shell = of("sh");
  const makefile = readFileSync(join(root, "Makefile"), "utf8");
  const twoCommands = shell.find((b) => b.code.includes("make demo"));
  const install = shell.find((b) => b.code.startsWith("make pack"));
  // `make test` runs this suite and `make demo` serves until Ctrl-C: they are checked against
  // the Makefile (tests/js/cli.test.mjs runs the demo's script); every other line runs.
  assert.deepEqual(twoCommands.code.split("\n").filter(Boolean).map((l) => l.split("#")[0].trim()), ["make demo", "make test"]);
  for (const target of ["demo", "test"]) assert.match(makefile, new RegExp(`^${target}:`, "m"));
  // The install lines, run from a folder where this repository is ../sezzle-session: `make
  // pack` is what make test ran before this suite, so only its output is checked.
  const lines = install.code.split("\n").filter(Boolean).map((l) => l.split("#")[0].trim());
  assert.equal(lines[0], "make pack");
  const tarball = readdirSync(consumer).find((f) => f.endsWith(".tgz"));
  assert.ok(lines[1].endsWith(`target/consumer/${tarball}`), `the install line names ${tarball}`);
  const work = join(consumer, "readme-install");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "my-app"), { recursive: true });
  execFileSync("ln", ["-s", root, join(work, "sezzle-session")]);
  writeFileSync(join(work, "my-app", "package.json"), '{ "name": "my-app", "private": true }\n');
  execFileSync("bash", ["-c", `cd sezzle-session && ${lines[1].replace("npm install", "npm install --offline --no-audit --no-fund")}`], { cwd: work, encoding: "utf8" });
  const out = execFileSync(process.execPath, ["-e", `console.log(require("sezzle-session").parseSession(${JSON.stringify(SEED)}).uuid)`], { cwd: join(work, "my-app"), encoding: "utf8" });
  assert.equal(out.trim(), SEED_UUID);
});

test("the mock's shell line starts it, a get against it works, Ctrl-C stops it", async () => {
  const line = of("sh").map((b) => b.code.trim()).find((code) => code.startsWith("npx sezzle-session mock"));
  assert.equal(line, "npx sezzle-session mock --port 8787");
  // Port 0 instead of 8787, which a demo may hold: the line as written, but for the number.
  // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group
  // (npx and the command it runs).
  const mock = spawn("bash", ["-c", `exec ${line.replace("8787", "0")}`], { cwd: consumer, stdio: ["ignore", "pipe", "pipe"], detached: true });
  try {
    let text = "";
    const baseUrl = await new Promise((resolve, reject) => {
      mock.stdout.on("data", (chunk) => {
        text += chunk;
        const found = text.match(/http:\/\/127\.0\.0\.1:\d+\/v2/);
        if (found) resolve(found[0]);
      });
      mock.on("exit", (code) => reject(new Error(`the mock exited (${code}): ${text}`)));
    });
    const out = execFileSync("npx", ["sezzle-session", "get", SEED_UUID, "--base-url", baseUrl, "--json"], {
      cwd: consumer,
      encoding: "utf8",
      env: { ...process.env, SEZZLE_PUBLIC_KEY: "sz_pub_demo_public_key", SEZZLE_PRIVATE_KEY: "sz_pr_demo_private_key" },
    });
    assert.equal(JSON.parse(out).uuid, SEED_UUID);
    const exited = new Promise((resolve) => mock.on("exit", resolve));
    process.kill(-mock.pid, "SIGINT");
    await exited;
    // npx ends by the signal, as in a terminal; what matters is that the gateway is gone
    // (the command's own exit status on SIGINT, 0, is tests/js/cli.test.mjs's).
    await assert.rejects(fetch(`${baseUrl}/session/${SEED_UUID}`), /fetch failed/);
  } finally {
    try {
      process.kill(-mock.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

test("the Rust samples are lines of code the Rust suites build and run", () => {
  const sources = [
    ...readdirSync(join(root, "tests")).filter((f) => f.endsWith(".rs")).map((f) => join(root, "tests", f)),
    join(root, "src", "lib.rs"),
  ].map((f) => readFileSync(f, "utf8"));
  // Doc comments' code is code (src/lib.rs's doctests); other comments are not; whitespace
  // is rustfmt's business, not the sample's.
  const squash = (text) => text.replace(/^\s*\/\/[!/] ?/gm, "").replace(/\/\/[^\n]*/g, "").replace(/\s+/g, "");
  const haystack = sources.map(squash).join("\n");
  for (const block of of("rust")) {
    // Each statement of the sample (comments aside) appears in a test or a doctest.
    for (const statement of squash(block.code).split(/;\s*/).filter((s) => s && !s.startsWith("use"))) {
      assert.ok(haystack.includes(statement), `README.md:${block.line}: not found in tests/*.rs or src/lib.rs doctests: ${statement}`);
    }
  }
});

test("the TOML sample (SIMD in a consumer's build) is what this repository's own build uses", () => {
  const config = readFileSync(join(root, ".cargo", "config.toml"), "utf8");
  const samples = of("toml");
  assert.equal(samples.length, 1);
  const lines = samples[0].code.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  assert.ok(lines.length >= 2);
  for (const line of lines) assert.ok(config.split("\n").map((l) => l.trim()).includes(line), `README.md:${samples[0].line}: ${line} is not in .cargo/config.toml`);
});
