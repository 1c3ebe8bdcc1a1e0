#!/usr/bin/env node
// The sezzle-session command: `get` a session from a gateway, `check` a payload file.
// Credentials come from the environment only (arguments show up in process lists).
import { open } from "node:fs/promises";
import { parseArgs } from "node:util";
import { MAX_INPUT_BYTES, SezzleClient, SezzleError, approvalUrl, checkoutUrl, getSession, safeParseSession } from "./node/index.mjs";

const HELP = {
  main: `Usage: sezzle-session <command> [options]

Commands:
  get <session_uuid>   fetch a session from Sezzle's gateway and print it
  check [FILE|-]       validate a session payload file (or standard input)

Options:
  -h, --help           help for a command: sezzle-session get --help
  --debug              print stack traces of errors
`,
  get: `Usage: sezzle-session get <session_uuid> [options]

Fetches GET /v2/session/{session_uuid} and prints a summary (or the session as JSON).
Control characters from the gateway's answer print as \\u001b escapes.

Credentials, from the environment only:
  SEZZLE_TOKEN                             a token, or
  SEZZLE_PUBLIC_KEY and SEZZLE_PRIVATE_KEY API keys (a token is fetched for you)

Options:
  --sandbox            Sezzle's sandbox gateway (the default)
  --production         Sezzle's production gateway
  --eu                 the EU gateway instead of the US one
  --base-url URL       any other gateway, e.g. http://127.0.0.1:8787/v2
  --timeout MS         per attempt (default 10000)
  --retries N          retries of a failed attempt (default 2)
  --json               print the session as JSON
  --debug              print stack traces of errors
  -h, --help           this help

Exit status: 0 fetched, 1 the request failed, 2 bad usage.
`,
  check: `Usage: sezzle-session check [FILE|-] [options]

Validates a session payload (a file, or standard input when FILE is - or absent) and prints
each issue and warning with its path. It reads no more than 1 MiB: a larger input is invalid
(too_large). Control characters from the payload or the file name print as \\u001b escapes.

Options:
  --json               print { valid, issues, warnings } as JSON
  --debug              print stack traces of errors
  -h, --help           this help

Exit status: 0 valid, 1 invalid, 2 bad usage or unreadable file.
`,
};

class UsageError extends Error {}

// What a terminal acts on or reorders the line by, when it comes from a payload, a gateway or
// a file name: C0 controls (ESC starts CSI and OSC 8 sequences; a newline or carriage return
// can fake a line), DEL, C1 controls (U+009B is a one-byte CSI to some terminals), the line
// and paragraph separators, and the bidi marks, embeddings, overrides and isolates (which
// make text display in another order than it is), and the invisible ones that let one field
// name pass for another (zero-width spaces and joiners, the byte order mark, U+180E, the tag
// characters U+E0000 to U+E007F). They print as \u001b (a tag character as its surrogate
// pair, \udb40\udc41, which JSON reads back as the same character). Backslashes in data print
// as they are, so the text output is for reading; --json is exact.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|\udb40[\udc00-\udc7f]/g;
const escaped = (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`).join("");

/** `text` with every UNSAFE character written as its \u escape. */
function terminalSafe(text) {
  return String(text).replace(UNSAFE, escaped);
}

/** `value` as indented JSON whose text holds no UNSAFE character raw. */
function jsonText(value) {
  // JSON.stringify escapes C0 controls inside strings, so a raw one left is its indentation;
  // DEL, C1, the separators and bidi controls it leaves raw, and \u escapes mean the same.
  return JSON.stringify(value, null, 2).replace(UNSAFE, (c) => (c < " " ? c : escaped(c)));
}

function pathText(path) {
  if (path.length === 0) return "(root)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${terminalSafe(p)}`)).join("");
}

function issueLine(severity, issue) {
  const where = issue.line !== undefined ? ` (line ${issue.line}, column ${issue.column})` : "";
  return `${severity.padEnd(7)} ${pathText(issue.path)}: ${terminalSafe(issue.message)} [${terminalSafe(issue.code)}]${where}`;
}

// The library's own answer for an input over the limit, which check never reads whole.
function tooLarge(size) {
  const message = `the input is ${size > MAX_INPUT_BYTES ? `${size} bytes` : `more than ${MAX_INPUT_BYTES} bytes`}; at most ${MAX_INPUT_BYTES} bytes are accepted`;
  return { success: false, error: { issues: [{ path: [], code: "too_large", message }] } };
}

function summary(session) {
  const { order, tokenize } = session;
  const lines = [`session   ${terminalSafe(session.uuid)}`];
  if (order) lines.push(`order     ${terminalSafe(order.uuid)} (${terminalSafe(order.intent ?? "no intent")})`);
  if (tokenize) lines.push(`tokenize  ${terminalSafe(tokenize.token)}, expires ${terminalSafe(tokenize.expiration ?? "(not given)")}`);
  const shopper = (label, pick) => {
    try {
      lines.push(`${label}${terminalSafe(pick(session) ?? "(none)")}`);
    } catch (error) {
      lines.push(`${label}(unsafe, not shown: ${terminalSafe(error.issues?.[0]?.message ?? error.message)})`);
    }
  };
  shopper("checkout  ", checkoutUrl);
  shopper("approval  ", approvalUrl);
  const rows = [
    ...session.links.map((l) => ["session", l]),
    ...(order?.links ?? []).map((l) => ["order", l]),
    ...(tokenize?.links ?? []).map((l) => ["tokenize", l]),
  ];
  lines.push("links");
  for (const [owner, { rel, method, href }] of rows) {
    lines.push(`  ${owner.padEnd(9)} ${terminalSafe(rel).padEnd(10)} ${terminalSafe(method).padEnd(6)} ${terminalSafe(href)}`);
  }
  return lines.join("\n");
}

function parse(args, options) {
  try {
    return parseArgs({ args, options: { help: { type: "boolean", short: "h" }, debug: { type: "boolean" }, json: { type: "boolean" }, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error.message);
  }
}

async function get(args, env) {
  const { values, positionals } = parse(args, {
    sandbox: { type: "boolean" },
    production: { type: "boolean" },
    eu: { type: "boolean" },
    "base-url": { type: "string" },
    timeout: { type: "string" },
    retries: { type: "string" },
  });
  if (values.help) return { out: HELP.get, code: 0 };
  if (positionals.length !== 1) throw new UsageError("get takes exactly one session uuid");
  if (values.sandbox && values.production) throw new UsageError("--sandbox and --production exclude each other");
  const number = (name) => {
    if (values[name] === undefined) return undefined;
    if (!/^\d+$/.test(values[name])) throw new UsageError(`--${name} takes a whole number`);
    return Number(values[name]);
  };
  const options = { timeoutMs: number("timeout"), retries: number("retries") };
  if (values["base-url"] !== undefined) options.baseUrl = values["base-url"];
  else Object.assign(options, { environment: values.production ? "production" : "sandbox", region: values.eu ? "eu" : "us" });
  const token = env.SEZZLE_TOKEN;
  const [publicKey, privateKey] = [env.SEZZLE_PUBLIC_KEY, env.SEZZLE_PRIVATE_KEY];
  let session;
  if (token) session = await getSession(positionals[0], { ...options, token });
  else if (publicKey && privateKey) session = await new SezzleClient({ ...options, publicKey, privateKey }).getSession(positionals[0]);
  else throw new UsageError("set SEZZLE_TOKEN, or SEZZLE_PUBLIC_KEY and SEZZLE_PRIVATE_KEY, in the environment");
  return { out: values.json ? jsonText(session) : summary(session), code: 0 };
}

// Reads at most `limit` + 1 bytes, enough to know the input is too large: /dev/zero, a FIFO
// or a pipe from `yes` never end, and the library would refuse the rest anyway. Answers the
// bytes and, for a regular file, its size.
async function readAtMost(file, limit) {
  const buffer = Buffer.allocUnsafe(limit + 1);
  let filled = 0;
  if (file === "-") {
    try {
      for await (const chunk of process.stdin) {
        filled += chunk.copy(buffer, filled);
        if (filled > limit) break;
      }
    } finally {
      // An endless pipe would otherwise keep the process alive after the answer.
      process.stdin.destroy();
    }
    return { bytes: buffer.subarray(0, filled) };
  }
  const handle = await open(file, "r");
  try {
    for (let read = -1; read !== 0 && filled < buffer.length; filled += read) {
      ({ bytesRead: read } = await handle.read(buffer, filled, buffer.length - filled, null));
    }
    const stat = await handle.stat();
    return { bytes: buffer.subarray(0, filled), size: stat.isFile() ? stat.size : undefined };
  } finally {
    await handle.close();
  }
}

async function check(args) {
  const { values, positionals } = parse(args, {});
  if (values.help) return { out: HELP.check, code: 0 };
  if (positionals.length > 1) throw new UsageError("check takes at most one file");
  const file = positionals[0] ?? "-";
  let input;
  try {
    input = await readAtMost(file, MAX_INPUT_BYTES);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error.code ?? error.message}`);
  }
  const result = input.bytes.length > MAX_INPUT_BYTES ? tooLarge(input.size) : safeParseSession(input.bytes);
  const issues = result.success ? [] : result.error.issues ?? [];
  const warnings = result.success ? result.warnings : [];
  if (values.json) return { out: jsonText({ valid: result.success, issues, warnings }), code: result.success ? 0 : 1 };
  const name = file === "-" ? "standard input" : terminalSafe(file);
  const lines = [...issues.map((i) => issueLine("error", i)), ...warnings.map((i) => issueLine("warning", i))];
  lines.push(result.success ? `${name}: valid session ${terminalSafe(result.data.uuid)}${warnings.length ? ` (${warnings.length} warning${warnings.length > 1 ? "s" : ""})` : ""}` : `${name}: invalid session (${issues.length} issue${issues.length > 1 ? "s" : ""})`);
  return { out: lines.join("\n"), code: result.success ? 0 : 1 };
}

/** The stack trace, escaped but for the newlines between its frames. */
function stackText(error) {
  const stack = String(error.stack);
  // It opens with the message, whose own newlines are data.
  const head = `${error.name}: ${error.message}`;
  const [message, frames] = stack.startsWith(head) ? [head, stack.slice(head.length)] : ["", stack];
  return terminalSafe(message) + frames.split("\n").map(terminalSafe).join("\n");
}

/** Runs the command; answers what to print and the exit code, never throws. */
async function main(argv, env = process.env) {
  const debug = argv.includes("--debug");
  const [command, ...rest] = argv;
  try {
    if (command === "get") return await get(rest, env);
    if (command === "check") return await check(rest);
    if (command === undefined || command === "-h" || command === "--help" || command === "help") return { out: HELP.main, code: command === undefined ? 2 : 0 };
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    // Messages carry file names, arguments and what a gateway answered: all printed escaped.
    if (error instanceof UsageError) return { err: `sezzle-session: ${terminalSafe(error.message)}\nRun sezzle-session ${command === "get" || command === "check" ? `${command} ` : ""}--help for usage.`, code: 2 };
    const detail = error instanceof SezzleError ? `${error.kind} error: ${error.message}` : `unexpected error: ${error?.message ?? error}`;
    return { err: `sezzle-session: ${terminalSafe(detail)}${debug && error?.stack ? `\n${stackText(error)}` : ""}`, code: 1 };
  }
}

const { out, err, code } = await main(process.argv.slice(2));
if (out) process.stdout.write(`${out.trimEnd()}\n`);
if (err) process.stderr.write(`${err}\n`);
process.exitCode = code;
