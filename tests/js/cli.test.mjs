// The sezzle-session command as npm installed it from the packed tarball, against the mock
// gateway: output, exit codes, and no credential in anything it prints.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockGateway } from "./mock.mjs";
import { cjs, consumer, fixtureText, installed, root } from "./packed.mjs";

const BIN = join(consumer, "node_modules", ".bin", "sezzle-session");
const SEED_UUID = "fadbc642-05a4-4e38-9e74-80e325623af9";
const KEYS = { publicKey: "sz_pub_cli_test_0001", privateKey: "sz_pr_cli_SECRET_4242" };

let gateway;
let scratch;
before(async () => {
  gateway = await startMockGateway({ keys: KEYS });
  scratch = mkdtempSync(join(tmpdir(), "sezzle-cli-"));
});
after(async () => {
  await gateway.close();
  rmSync(scratch, { recursive: true, force: true });
});

// 0.1.0 read /dev/zero until killed: a child past this much memory is killed, not the machine.
const MEMORY_CAP_KB = 768 * 1024;

function residentKb(pid) {
  try {
    return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0; // gone, or no /proc
  }
}

/**
 * Runs the installed command. `stdin` (a stream with a descriptor, e.g. another child's
 * stdout) replaces `input`; `node` runs its cli.mjs under node with these flags instead.
 * A child still running after `killAfterMs` is killed, so a regression fails instead of hanging.
 */
function run(args, { env = {}, input, stdin, node, killAfterMs } = {}) {
  return new Promise((resolve) => {
    const [command, argv] = node ? [process.execPath, [...node, join(installed, "cli.mjs"), ...args]] : [BIN, args];
    const child = spawn(command, argv, { env: { PATH: process.env.PATH, ...env }, cwd: root, stdio: [stdin ?? "pipe", "pipe", "pipe"], timeout: killAfterMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const guard = setInterval(() => residentKb(child.pid) > MEMORY_CAP_KB && child.kill("SIGKILL"), 50);
    child.on("close", (code, signal) => {
      clearInterval(guard);
      resolve({ code, signal, stdout, stderr });
    });
    if (!stdin) child.stdin.end(input ?? "");
  });
}

/** A child writing endlessly (`yes`) or `head -c 300M /dev/zero` to a pipe, for run's stdin. */
function producer(command, args) {
  return spawn(command, args, { stdio: ["ignore", "pipe", "ignore"] });
}

const keyEnv = () => ({ SEZZLE_PUBLIC_KEY: KEYS.publicKey, SEZZLE_PRIVATE_KEY: KEYS.privateKey });

test("get: keys from the environment fetch the session and print a readable summary", async () => {
  gateway.reset();
  const { code, stdout, stderr } = await run(["get", SEED_UUID, "--base-url", gateway.baseUrl], { env: keyEnv() });
  assert.equal(stderr, "");
  assert.equal(code, 0);
  assert.match(stdout, new RegExp(`^session   ${SEED_UUID}$`, "m"));
  assert.match(stdout, /^order     12a34bc5-6de7-890f-g123-4hi1238jk902 \(CAPTURE\)$/m);
  assert.match(stdout, /^checkout  https:\/\/checkout\.sezzle\.com\/\?id=12a34bc5/m);
  assert.match(stdout, /^  order +self +PATCH +http:\/\/127\.0\.0\.1/m);
  assert.deepEqual(gateway.requests.map((r) => r.method), ["POST", "GET"]);
  assert.ok(!stdout.includes(KEYS.privateKey));
});

test("get --json with SEZZLE_TOKEN prints the session as JSON", async () => {
  const token = gateway.issueToken();
  const { code, stdout } = await run(["get", SEED_UUID, "--base-url", gateway.baseUrl, "--json"], { env: { SEZZLE_TOKEN: token } });
  assert.equal(code, 0);
  const session = JSON.parse(stdout);
  assert.equal(session.uuid, SEED_UUID);
  assert.equal(session.tokenize.token, "7ec98824-67cc-469c-86ab-f9e047f9cf1a");
  assert.ok(!stdout.includes(token));
});

test("get: an unknown session exits 1 with the gateway's message on stderr, no stack, no credential", async () => {
  const { code, stdout, stderr } = await run(["get", "no-such-session", "--base-url", gateway.baseUrl], { env: keyEnv() });
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.match(stderr, /^sezzle-session: http error: GET \/v2\/session\/no-such-session: HTTP 404 Not Found: Session not found/);
  assert.ok(!stderr.includes("    at "), "a stack trace without --debug");
  assert.ok(!stderr.includes(KEYS.privateKey));
});

test("get --debug adds the stack trace; wrong keys still never print the key", async () => {
  const env = { SEZZLE_PUBLIC_KEY: KEYS.publicKey, SEZZLE_PRIVATE_KEY: "sz_pr_wrong_SECRET_77" };
  const { code, stderr } = await run(["get", SEED_UUID, "--base-url", gateway.baseUrl, "--debug"], { env });
  assert.equal(code, 1);
  assert.match(stderr, /HTTP 401 Unauthorized: Invalid API keys/);
  assert.match(stderr, /\n    at /);
  assert.ok(!stderr.includes("sz_pr_wrong_SECRET_77"));
});

test("get: bad usage exits 2 with a hint", async () => {
  for (const [args, env, message] of [
    [["get"], keyEnv(), /get takes exactly one session uuid/],
    [["get", SEED_UUID, "--base-url", gateway.baseUrl], {}, /set SEZZLE_TOKEN, or SEZZLE_PUBLIC_KEY and SEZZLE_PRIVATE_KEY/],
    [["get", SEED_UUID, "--sandbox", "--production"], keyEnv(), /exclude each other/],
    [["get", SEED_UUID, "--token", "x"], keyEnv(), /Unknown option '--token'/],
    [["frobnicate"], {}, /unknown command "frobnicate"/],
  ]) {
    const { code, stdout, stderr } = await run(args, { env });
    assert.equal(code, 2, args.join(" "));
    assert.equal(stdout, "");
    assert.match(stderr, message);
    assert.match(stderr, /--help for usage/);
  }
  // An unsafe uuid is the client's invalid_argument: nothing is sent.
  gateway.reset();
  const unsafe = await run(["get", "../authentication", "--base-url", gateway.baseUrl], { env: keyEnv() });
  assert.equal(unsafe.code, 1);
  assert.match(unsafe.stderr, /invalid_argument error: .*sessionUuid/);
  assert.equal(gateway.requests.length, 0);
});

test("--help for the command and each subcommand", async () => {
  for (const [args, text] of [[["--help"], /Commands:/], [["get", "--help"], /SEZZLE_PUBLIC_KEY/], [["check", "-h"], /Exit status: 0 valid, 1 invalid/]]) {
    const { code, stdout } = await run(args);
    assert.equal(code, 0);
    assert.match(stdout, text);
  }
});

test("check: a valid file exits 0 and prints its warnings with paths", async () => {
  const { code, stdout } = await run(["check", "tests/fixtures/valid/seed.json"]);
  assert.equal(code, 0);
  assert.match(stdout, /^warning order\.tokenize: tokenize was found inside order.* \[tokenize_in_order\]$/m);
  assert.match(stdout, new RegExp(`valid session ${SEED_UUID} \\(1 warning\\)\n$`));
});

test("check: an invalid file exits 1 and prints every issue with its path", async () => {
  const { code, stdout } = await run(["check", "tests/fixtures/invalid/bad-links.json"]);
  assert.equal(code, 1);
  const errors = stdout.split("\n").filter((l) => l.startsWith("error"));
  assert.equal(errors.length, 6); // links[2] has no method: GET, as Sezzle's Link schema says
  assert.match(errors[0], /^error   links\[0\]\.href: .* \[unsafe_url\]$/);
  assert.match(stdout, /invalid session \(6 issues\)\n$/);
});

test("check: standard input, malformed JSON with its line, --json, an unreadable file", async () => {
  const piped = await run(["check", "-"], { input: fixtureText("valid/order-only.json") });
  assert.equal(piped.code, 0);
  assert.match(piped.stdout, /^standard input: valid session/m);
  const broken = await run(["check"], { input: '{\n  "uuid": "s",\n  "links": [' });
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /^error   \(root\): .*\[invalid_json\] \(line 3, column \d+\)$/m);
  const json = await run(["check", "tests/fixtures/invalid/missing-uuid.json", "--json"]);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout);
  assert.equal(report.valid, false);
  assert.deepEqual(report.issues[0].path, ["uuid"]);
  const missing = await run(["check", "no/such/file.json"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read no\/such\/file\.json: ENOENT/);
});

test("make demo's script prints a page address and a sezzle-session line that work", async () => {
  const demo = spawn(process.execPath, [join(root, "scripts", "demo.mjs")], { env: { ...process.env, DEMO_PORT: "0", DEMO_GATEWAY_PORT: "0" } });
  try {
    let out = "";
    await new Promise((resolve, reject) => {
      demo.stdout.on("data", (d) => {
        out += d;
        if (out.includes("Ctrl-C")) resolve();
      });
      demo.on("exit", (code) => reject(new Error(`demo exited with ${code}`)));
    });
    const page = /Session inspector:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)[1];
    assert.equal((await fetch(page)).status, 200);
    const line = out.split("\n").find((l) => l.includes(" get ")).trim();
    const [, envText, command] = /^((?:\w+=\S+ )+)(.*)$/.exec(line);
    const env = Object.fromEntries(envText.trim().split(" ").map((kv) => kv.split("=")));
    const [bin, ...args] = command.split(" ");
    const result = await new Promise((resolve) => {
      const child = spawn(join(root, bin), args, { env: { PATH: process.env.PATH, ...env }, cwd: root });
      let stdout = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.on("close", (code) => resolve({ code, stdout }));
    });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^session   fadbc642-05a4-4e38-9e74-80e325623af9$/m);
  } finally {
    demo.kill("SIGTERM");
  }
});

// Bounded input: check reads at most MAX_INPUT_BYTES + 1 bytes, whatever the source.

const MIB = 1024 * 1024;
const SLOW = 25_000; // kill a child that does not finish: only a regression is that slow
const PEAK_BOUND_KB = 200 * 1024; // against 300 MB of input; 0.1.0 peaked near 1 GB

/** Node flags that print the process's peak resident memory to stderr as it exits. */
function peakRssFlags() {
  const preload = join(scratch, "peak-rss.cjs");
  writeFileSync(preload, 'process.on("exit", () => require("node:fs").writeSync(2, `\\npeak-rss-kb ${process.resourceUsage().maxRSS}\\n`));\n');
  return ["-r", preload];
}

function peakRssKb(stderr) {
  const match = /^peak-rss-kb (\d+)$/m.exec(stderr);
  assert.ok(match, `no peak memory reported; stderr: ${stderr.slice(0, 500)}`);
  return Number(match[1]);
}

function assertTooLarge({ code, signal, stdout }, size) {
  assert.equal(signal, null, "the command was killed: it did not stop reading");
  assert.equal(code, 1);
  assert.match(stdout, new RegExp(`^error   \\(root\\): the input is ${size}; at most ${MIB} bytes are accepted \\[too_large\\]$`, "m"));
}

test("check: a 300 MB file is too_large, as the library says, read no further than the limit", { timeout: 60_000 }, async () => {
  assert.equal(cjs.MAX_INPUT_BYTES, MIB);
  const file = join(scratch, "huge.json");
  writeFileSync(file, "");
  truncateSync(file, 300 * MIB); // sparse: no disk used
  const text = await run(["check", file], { node: peakRssFlags(), killAfterMs: SLOW });
  assertTooLarge(text, `${300 * MIB} bytes`);
  assert.ok(peakRssKb(text.stderr) < PEAK_BOUND_KB, `peak ${peakRssKb(text.stderr)} KB`);
  const json = await run(["check", file, "--json"], { killAfterMs: SLOW });
  assert.equal(json.code, 1);
  const shape = (issues) => issues.map(({ path, code }) => ({ path, code }));
  assert.deepEqual(shape(JSON.parse(json.stdout).issues), shape(cjs.safeParseSession(new Uint8Array(MIB + 1)).error.issues));
});

test("check /dev/zero ends with too_large", { timeout: 30_000 }, async () => {
  assertTooLarge(await run(["check", "/dev/zero"], { killAfterMs: SLOW }), `more than ${MIB} bytes`);
});

test("check: a FIFO fed without end ends with too_large", { timeout: 30_000 }, async () => {
  const fifo = join(scratch, "endless.fifo");
  execFileSync("mkfifo", [fifo]);
  const writer = spawn("sh", ["-c", 'exec yes > "$0"', fifo], { stdio: "ignore" });
  try {
    assertTooLarge(await run(["check", fifo], { killAfterMs: SLOW }), `more than ${MIB} bytes`);
  } finally {
    writer.kill();
  }
});

test("check -: an endless pipe on standard input ends with too_large and the command exits", { timeout: 30_000 }, async () => {
  const yes = producer("yes", []);
  try {
    assertTooLarge(await run(["check", "-"], { stdin: yes.stdout, killAfterMs: SLOW }), `more than ${MIB} bytes`);
  } finally {
    yes.kill();
  }
});

test("check -: 300 MB of zeros on standard input keep memory flat", { timeout: 60_000 }, async () => {
  const head = producer("head", ["-c", "300M", "/dev/zero"]);
  try {
    const result = await run(["check", "-"], { stdin: head.stdout, node: peakRssFlags(), killAfterMs: SLOW });
    assertTooLarge(result, `more than ${MIB} bytes`);
    assert.ok(peakRssKb(result.stderr) < PEAK_BOUND_KB, `peak ${peakRssKb(result.stderr)} KB`);
  } finally {
    head.kill();
  }
});

// Terminal output: every string from a payload, a gateway or a file name prints with its
// control characters escaped, in text and in --json.

// What the command never prints raw; its own text holds newlines only.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CLEAR = "\u001b[2J\u001b[H"; // CSI: clear the screen, cursor home
const LINK = "\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007"; // OSC 8 hyperlink
const C1 = "\u009b31m\u0085"; // 8-bit CSI, next line
const BIDI = "\u202egnp\u2066"; // right-to-left override, left-to-right isolate
const REWRITE = "\rvalid"; // back to the start of the line

// For a failure message: the test runner's own output must not carry what it reports.
const visible = (text) => JSON.stringify(text).replace(new RegExp(RAW_CONTROL.source, "g"), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

function assertEscaped({ stdout, stderr }, forms) {
  const printed = stdout + stderr;
  const raw = RAW_CONTROL.exec(printed);
  assert.ok(raw === null, raw && `raw U+${raw[0].charCodeAt(0).toString(16).padStart(4, "0")} at ${raw.index} of ${visible(printed)}`);
  for (const form of forms) assert.ok(printed.includes(form), `${form} not in ${visible(printed)}`);
}

// Valid: Id refuses control characters but not bidi ones, and a rel may be any text.
const HOSTILE_SESSION = {
  uuid: `fadbc642${BIDI}`,
  links: [{ href: "https://gateway.sezzle.com/v2/session/fadbc642", method: "GET", rel: `self${CLEAR}${LINK}${C1}${REWRITE}` }],
  [`note${LINK}`]: 1,
  [`x${C1}${BIDI}`]: 2,
};
const ESCAPED_SESSION = ["fadbc642\\u202egnp\\u2066", "self\\u001b[2J\\u001b[H\\u001b]8;;https://evil.example/\\u0007click", "\\u009b31m\\u0085\\u000dvalid"];

test("check: control characters in field names, rel, href and uuid print escaped, in text and --json", async () => {
  const valid = join(scratch, "hostile-valid.json");
  writeFileSync(valid, JSON.stringify(HOSTILE_SESSION));
  const text = await run(["check", valid]);
  assert.equal(text.code, 0);
  assertEscaped(text, ["note\\u001b]8;;https://evil.example/\\u0007click", "x\\u009b31m\\u0085\\u202egnp\\u2066", "valid session fadbc642\\u202egnp\\u2066"]);
  const json = await run(["check", valid, "--json"]);
  assertEscaped(json, ["x\\u009b31m\\u0085\\u202egnp\\u2066"]);
  assert.deepEqual(JSON.parse(json.stdout).warnings.map((w) => w.path), cjs.safeParseSession(JSON.stringify(HOSTILE_SESSION)).warnings.map((w) => w.path));

  const invalid = join(scratch, "hostile-invalid.json");
  writeFileSync(invalid, JSON.stringify({ ...HOSTILE_SESSION, uuid: `a${CLEAR}`, links: [{ href: `https://x.example/${LINK}${C1}`, method: `GET${BIDI}`, rel: `${C1}` }] }));
  for (const args of [["check", invalid], ["check", invalid, "--json"]]) {
    const result = await run(args);
    assert.equal(result.code, 1);
    assertEscaped(result, []);
  }
});

test("check: a file name with control characters prints escaped", async () => {
  const name = join(scratch, `seed${CLEAR}${C1}${BIDI}.json`);
  writeFileSync(name, fixtureText("valid/seed.json"));
  const found = await run(["check", name]);
  assert.equal(found.code, 0);
  assertEscaped(found, ["seed\\u001b[2J\\u001b[H\\u009b31m\\u0085\\u202egnp\\u2066.json: valid session"]);
  const missing = await run(["check", `no${CLEAR}${BIDI}.json`]);
  assert.equal(missing.code, 2);
  assertEscaped(missing, ["cannot read no\\u001b[2J\\u001b[H\\u202egnp\\u2066.json: ENOENT"]);
});

test("get: a gateway's error message and a session's strings print escaped, in text and --json", async () => {
  const token = gateway.issueToken();
  const message = `Session not found${CLEAR}${LINK}${C1}${BIDI}${REWRITE}\nsezzle-session: a line of the gateway's`;
  const errorBody = JSON.stringify([{ code: `not_found${CLEAR}`, location: "session_uuid", message, debug_uuid: "d-1" }]);
  for (const args of [[], ["--json"], ["--debug"]]) {
    gateway.reset();
    gateway.fault("GET", /^\/v2\/session\//, { status: 404, body: errorBody });
    const failed = await run(["get", SEED_UUID, "--base-url", gateway.baseUrl, ...args], { env: { SEZZLE_TOKEN: token } });
    assert.equal(failed.code, 1, args.join(" "));
    assertEscaped(failed, ["Session not found\\u001b[2J\\u001b[H\\u001b]8;;https://evil.example/\\u0007click", "\\u009b31m\\u0085\\u202egnp\\u2066\\u000dvalid"]);
    assert.doesNotMatch(failed.stderr, /^sezzle-session: a line of the gateway's/m, "a newline from the gateway starts a line (--debug's stack included)");
    assert.ok(!failed.stderr.includes(token));
  }
  for (const args of [[], ["--json"]]) {
    gateway.reset();
    gateway.fault("GET", /^\/v2\/session\//, { status: 200, body: JSON.stringify(HOSTILE_SESSION) });
    const fetched = await run(["get", SEED_UUID, "--base-url", gateway.baseUrl, ...args], { env: { SEZZLE_TOKEN: token } });
    assert.equal(fetched.code, 0, args.join(" "));
    assertEscaped(fetched, args.length ? [ESCAPED_SESSION[0]] : ESCAPED_SESSION);
    if (args.length) {
      assert.ok(fetched.stdout.includes("\\u009b31m\\u0085\\rvalid"));
      assert.equal(JSON.parse(fetched.stdout).links[0].rel, HOSTILE_SESSION.links[0].rel, "the JSON means the same");
    }
  }
});

test("check: invisible characters that let one field name pass for another print escaped", async () => {
  const twin = join(scratch, "invisible.json");
  // A zero-width space, a byte order mark and tag characters (U+E0065 U+E0076) in keys and a rel.
  writeFileSync(twin, JSON.stringify({ uuid: "s", links: [{ href: "https://gateway.sezzle.com/v2/x", method: "GET", rel: "self\u200b" }], ["\ufeff\u200dorder"]: 1, ["e\u{E0065}\u{E0076}il"]: 2 }));
  for (const args of [["check", twin], ["check", twin, "--json"]]) {
    const { code, stdout, stderr } = await run(args);
    assert.equal(code, 0);
    const printed = stdout + stderr;
    assert.doesNotMatch(printed, /[\u200b-\u200d\ufeff]|\udb40[\udc00-\udc7f]/u, printed);
    assert.ok(printed.includes("\\ufeff\\u200dorder") && printed.includes("e\\udb40\\udc65\\udb40\\udc76il"), printed);
  }
  const json = await run(["check", twin, "--json"]);
  assert.ok(JSON.parse(json.stdout).warnings.some((w) => w.path[0] === "e\u{E0065}\u{E0076}il"), "--json reads back as the same key");
});
