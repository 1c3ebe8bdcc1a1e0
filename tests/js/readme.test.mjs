// Every code sample in README.md runs (or, for the two commands, is what the Makefile has):
// JavaScript in Node against the mock gateway, and type-checked under tsc --strict; the HTML
// page in Chromium; the shell lines as a user types them; the TypeScript interfaces against
// the package's declarations; the Rust lines found in code that the Rust suites build and run.
// A sample that breaks fails here.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchChromium, serveConsumer } from "./chromium.mjs";
import { consumer, fixtureText, root } from "./packed.mjs";

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
  for (const { lang, line } of blocks) assert.ok(["js", "html", "sh", "ts", "rust", "text"].includes(lang), `README.md:${line}: \`\`\`${lang}`);
  assert.ok(of("js").length >= 8);
});

// What the samples take as given, each only where the sample does not declare it: a JS value
// to run with, a TypeScript type to check with. Sezzle's hosts (and the mock's documented
// port) are sent to a mock gateway on a free port: nothing leaves 127.0.0.1.
const GIVEN = {
  uuid: [JSON.stringify(SEED_UUID), "string"],
  sessionUuid: [JSON.stringify(SEED_UUID), "string"],
  token: ["readmeGateway.issueToken()", "string"],
  body: [JSON.stringify(SEED), "string"],
  payload: [JSON.stringify(SEED), "string"],
  keys: ["readmeGateway.keys", "{ publicKey: string; privateKey: string }"],
  metrics: ["{ observe(event) { console.log(event.type); } }", "{ observe(event: unknown): void }"],
};
const declares = (code, name) => new RegExp(`\\b(const|let|var|function|class)\\s+${name}\\b|\\b${name}\\s*[,}][^=]*=\\s*await import|import[^;]*\\b${name}\\b[^;]*from`).test(code);
const uses = (code, name) => new RegExp(`\\b${name}\\b`).test(code);
const isCommonJs = (code) => /\brequire\(/.test(code);

function runnable({ code }) {
  const given = Object.entries(GIVEN).filter(([name]) => uses(code, name) && !declares(code, name));
  const cjs = isCommonJs(code);
  const lines = [
    cjs ? `(async () => { const { startMockGateway: startReadmeMock } = await import("sezzle-session/mock");` : `import { startMockGateway as startReadmeMock } from "sezzle-session/mock";`,
    "const readmeGateway = await startReadmeMock();",
    "const realFetch = globalThis.fetch;",
    "globalThis.fetch = (url, init) => realFetch(String(url).replace(/^https:\\/\\/(sandbox\\.)?gateway(\\.eu)?\\.sezzle\\.com\\/v2|^http:\\/\\/127\\.0\\.0\\.1:8787\\/v2/, readmeGateway.baseUrl), init);",
    "process.env.SEZZLE_PUBLIC_KEY = readmeGateway.keys.publicKey; process.env.SEZZLE_PRIVATE_KEY = readmeGateway.keys.privateKey;",
    ...given.map(([name, [value]]) => `const ${name} = ${value};`),
    cjs ? "{" : "",
    code,
    cjs ? "}" : "",
    "await readmeGateway.stop();",
    'console.log("README sample done");',
    cjs ? "})().catch((error) => { console.error(error); process.exit(1); });" : "",
  ];
  return lines.join("\n");
}

// The slim entry's samples load the .wasm from beside web/slim.js, which is a page's job:
// they run in Chromium; the others in Node.
const inBrowser = ({ code }) => code.includes('"sezzle-session/slim"') && !viteOnly({ code });
// A sample that imports a file's URL with Vite's `?url` runs under Vite's dev servers, in
// tests/bundlers (apps/slim-url/main.js holds its lines); here it is only found there.
const viteOnly = ({ code }) => code.includes('?url"');
const printed = [];

test("each JavaScript sample for Node runs there against the mock gateway", () => {
  const dir = join(consumer, "readme-run");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const block of of("js").filter((b) => !inBrowser(b) && !viteOnly(b))) {
    const file = join(dir, `sample-${block.line}.${isCommonJs(block.code) ? "cjs" : "mjs"}`);
    writeFileSync(file, runnable(block));
    const out = execFileSync(process.execPath, [file], { cwd: consumer, encoding: "utf8", timeout: 30_000, stdio: ["ignore", "pipe", "pipe"] });
    assert.match(out, /README sample done\n$/, `README.md:${block.line}`);
    printed.push(out);
  }
});

test("each sample of the slim entry runs in Chromium, the .wasm fetched from beside it", async () => {
  const slimBlocks = of("js").filter(inBrowser);
  assert.ok(slimBlocks.length >= 1);
  const browser = await launchChromium();
  try {
    for (const block of slimBlocks) {
      const given = Object.entries(GIVEN).filter(([name]) => uses(block.code, name) && !declares(block.code, name));
      const page = `<script type="importmap">{"imports":{"sezzle-session/slim":"/node_modules/sezzle-session/web/slim.js"}}</script>
<script type="module">${given.map(([name, [value]]) => `const ${name} = ${value};`).join("\n")}
${block.code}
console.log("README sample done");</script>`;
      const server = await serveConsumer({ "/": [page] });
      try {
        const tab = await browser.newPage();
        const errors = [];
        const lines = [];
        tab.on("pageerror", (e) => errors.push(e.message));
        tab.on("console", (m) => m.type() === "log" && lines.push(m.text()));
        const done = tab.waitForEvent("console", { predicate: (m) => m.text() === "README sample done", timeout: 15_000 });
        await tab.goto(`http://127.0.0.1:${server.address().port}/`);
        await done;
        assert.deepEqual(errors, [], `README.md:${block.line}`);
        printed.push(lines.join("\n"));
      } finally {
        server.close();
      }
    }
  } finally {
    await browser.close();
  }
});

test("what the samples print is what they say", () => {
  const order = JSON.parse(SEED).order;
  assert.ok(printed.some((out) => out.includes(`${order.uuid} ${order.checkout_url}`)), "the ESM sample prints the order and its checkout URL");
  assert.ok(printed.some((out) => out.startsWith(`${order.uuid}\nREADME`)), "the backend sample prints the order's uuid");
  assert.ok(printed.some((out) => out.startsWith(`${order.uuid}\n503\n`)), "the mock sample prints the order, then the scripted 503");
  assert.ok(printed.some((out) => out.startsWith("true http 404 ")), "a SezzleError made by hand");
  assert.ok(printed.some((out) => out.startsWith("[ 'uuid' ] expected a string")), "the Standard Schema sample prints the issue");
  assert.ok(printed.some((out) => out.startsWith(`${SEED_UUID}\nREADME`)), "the slim sample prints the session's uuid");
});

test("each JavaScript sample type-checks under tsc --strict (checkJs), as an ES module or CommonJS", () => {
  const dir = join(consumer, "readme-types");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  // The samples as they are, in .mjs and .cjs files; what they take as given, declared once.
  const files = of("js").filter((b) => !viteOnly(b)).map((block) => {
    const name = `sample-${block.line}.${isCommonJs(block.code) ? "cjs" : "mjs"}`;
    writeFileSync(join(dir, name), block.code);
    return name;
  });
  writeFileSync(join(dir, "given.d.ts"), Object.entries(GIVEN).map(([name, [, type]]) => `declare const ${name}: ${type};`).join("\n"));
  files.push("given.d.ts");
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
