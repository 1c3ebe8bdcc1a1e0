#!/usr/bin/env node
// The sezzle-session command: `get` a session from a gateway, `check` payload files, `mock`
// a gateway on 127.0.0.1. Credentials come from the environment only (arguments show up in
// process lists).
import { readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { parseArgs } from "node:util";
import { CLIENT_DEFAULTS, MAX_INPUT_BYTES, SezzleClient, SezzleError, approvalUrl, checkoutUrl, safeParseSession } from "./node/index.mjs";
import { relative } from "./web/relative.js"; // the inspector page's wording
import { pathText } from "./web/path.js";

const HELP = {
  main: `Usage: sezzle-session <command> [options]

Commands:
  get <session_uuid>     fetch a session from Sezzle's gateway and print it
  check [FILE...|-]      validate session payload files (or standard input)
  mock [--port N]        run a mock of Sezzle's gateway on 127.0.0.1 until Ctrl-C

Options:
  -h, --help             help for a command: sezzle-session get --help
  -v, --version          print the version
  --debug                print stack traces of errors

Exit status: 0 success, 1 failure (each command's help says which), 2 bad usage.
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
  --base-url URL       any other gateway, with its /v2 path: https, or plain http to
                       127.0.0.1, localhost or [::1] (e.g. sezzle-session mock's)
  --timeout MS         per attempt, 1 to 2147483647 (default ${CLIENT_DEFAULTS.timeoutMs})
  --retries N          retries of a failed attempt, 0 to 10 (default ${CLIENT_DEFAULTS.retries})
  --json               print the session as JSON
  --debug              print stack traces of errors
  -h, --help           this help

A session uuid holds letters, digits, '-', '_', '.' and '~' (at most 128, not '.' or '..'):
another is refused before anything is sent.

Exit status: 0 fetched, 1 the request failed, 2 bad usage (missing credentials, an unsafe
session uuid, a --base-url that is not https or loopback http, a number out of range).
`,
  check: `Usage: sezzle-session check [FILE...|-] [options]

Validates session payloads (files, or standard input when FILE is - or absent) and prints,
for each, every issue and warning with its path, then one summary line. It reads no more
than 1 MiB of each: a larger input is invalid (too_large). A file that cannot be read is
reported on standard error and the others are still checked. Control characters from a
payload or a file name print as \\u001b escapes.

Options:
  --json               print { valid, issues, warnings } as JSON; with several files, an
                       array of { file, valid, issues, warnings } ({ file, error } for a
                       file that could not be read)
  --debug              print stack traces of errors
  -h, --help           this help

Exit status: 0 every payload valid, 1 one or more invalid, 2 bad usage or a file that
could not be read (2 wins over 1).
`,
  mock: `Usage: sezzle-session mock [--port N]

Runs a local stand-in for Sezzle's gateway v2 on 127.0.0.1 until Ctrl-C or SIGTERM, and
prints its base URL, the demo keys it accepts and the sessions it serves (the package's
fixtures, Sezzle's documented example among them). Then, in another shell:

  SEZZLE_PUBLIC_KEY=… SEZZLE_PRIVATE_KEY=… sezzle-session get <session_uuid> --base-url <URL>

Options:
  --port N             0 to 65535; 0 picks a free port (default 8787)
  --debug              print stack traces of errors
  -h, --help           this help

Exit status: 0 stopped by Ctrl-C or SIGTERM, 1 it could not listen (the port is taken),
2 bad usage.
`,
};

class UsageError extends Error {}

/** A library error and a line of advice for the command's user. */
class Advised extends Error {
  constructor(error, advice) {
    super(error.message, { cause: error });
    this.advice = advice;
  }
}

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

function issueLine(severity, issue) {
  const where = issue.line !== undefined ? ` (line ${issue.line}, column ${issue.column})` : "";
  return `${severity.padEnd(7)} ${pathText(issue.path, terminalSafe)}: ${terminalSafe(issue.message)} [${terminalSafe(issue.code)}]${where}`;
}

// The library's own answer for an input over the limit, which check never reads whole.
function tooLarge(size) {
  const message = `the input is ${size > MAX_INPUT_BYTES ? `${size} bytes` : `more than ${MAX_INPUT_BYTES} bytes`}; at most ${MAX_INPUT_BYTES} bytes are accepted`;
  return { success: false, error: { issues: [{ path: [], code: "too_large", message }] } };
}

// The date as the gateway wrote it, then how far it is from now. A date JavaScript cannot
// place (a leap second, 23:59:60) keeps only the first.
function expirationText(expiration) {
  if (expiration === undefined) return "no expiration given";
  const at = Date.parse(expiration);
  return `expiration ${terminalSafe(expiration)}${Number.isNaN(at) ? "" : ` (${relative(at - Date.now())})`}`;
}

function summary(session) {
  const { order, tokenize } = session;
  const lines = [`session   ${terminalSafe(session.uuid)}`];
  if (order) lines.push(`order     ${terminalSafe(order.uuid)} (${terminalSafe(order.intent ?? "no intent")})`);
  if (tokenize) lines.push(`tokenize  ${terminalSafe(tokenize.token)}, ${expirationText(tokenize.expiration)}`);
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
    return parseArgs({ args, options: { help: { type: "boolean", short: "h" }, debug: { type: "boolean" }, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error.message);
  }
}

/** `--name`'s value as a whole number, or undefined when it is not given. */
function wholeNumber(values, name) {
  if (values[name] === undefined) return undefined;
  // No leading zero (080 is not read as 80, nor as octal); the value echoed at most 40 long.
  if (!/^(0|[1-9]\d*)$/.test(values[name])) throw new UsageError(`--${name} takes a whole number, got ${JSON.stringify(values[name].slice(0, 40))}${values[name].length > 40 ? "…" : ""}`);
  return Number(values[name]);
}

// The library's names in its invalid_argument messages, as the command's user knows them.
const OPTION_NAMES = [
  [/^options\.timeoutMs\b/, "--timeout"],
  [/^options\.retries\b/, "--retries"],
  [/^baseUrl\b/, "--base-url"],
  [/^sessionUuid\b/, "the session uuid"],
  [/^options\.token\b/, "SEZZLE_TOKEN"],
  [/^options\.publicKey\b/, "SEZZLE_PUBLIC_KEY"],
  [/^options\.privateKey\b/, "SEZZLE_PRIVATE_KEY"],
];
function urlOf(text) {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * The library checks the options, the credentials and the session uuid before it sends
 * anything, and refuses what it cannot use with kind invalid_argument: for the command, that
 * is bad usage. Its message loses the function's name and speaks of options as given here.
 */
function usageFrom(error, baseUrl) {
  let message = error.message.replace(/^(?:SezzleClient|client\.getSession|getSession): /, "");
  for (const [name, given] of OPTION_NAMES) message = message.replace(name, given);
  message = message.replace("pass credentials as options", "credentials come from the environment");
  // When the library's reason is the scheme rule, its preamble (https, plain http only to
  // loopback) says it a second time: the reason alone, after the URL, says it once.
  const [, reason] = /^--base-url must be an absolute https URL .*?\): (.*(?:plain http|only https).*)$/s.exec(message) ?? [];
  if (reason !== undefined) message = `--base-url ${baseUrl}: ${reason}`;
  return new UsageError(message);
}

// Sezzle's paths all start with /v2; a base URL without it answers 404 (or a page) to every call.
// Another version's path (/v1) is replaced, any other path gets /v2 after it.
function baseUrlAdvice(baseUrl) {
  const url = urlOf(baseUrl);
  const path = url?.pathname.replace(/\/+$/, "");
  if (url === undefined || /(^|\/)v2$/.test(path)) return undefined;
  url.pathname = /(^|\/)v\d+$/.test(path) ? path.replace(/v\d+$/, "v2") : `${path}/v2`;
  return `--base-url has no /v2 at the end of its path: did you mean ${url.href}?`;
}

async function get(args, env) {
  const { values, positionals } = parse(args, {
    json: { type: "boolean" },
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
  const baseUrl = values["base-url"];
  const options = { timeoutMs: wholeNumber(values, "timeout"), retries: wholeNumber(values, "retries") };
  if (baseUrl !== undefined) options.baseUrl = baseUrl;
  else Object.assign(options, { environment: values.production ? "production" : "sandbox", region: values.eu ? "eu" : "us" });
  const { SEZZLE_TOKEN: token, SEZZLE_PUBLIC_KEY: publicKey, SEZZLE_PRIVATE_KEY: privateKey } = env;
  const credentials = token ? { token } : publicKey && privateKey ? { publicKey, privateKey } : undefined;
  if (!credentials) throw new UsageError("set SEZZLE_TOKEN, or SEZZLE_PUBLIC_KEY and SEZZLE_PRIVATE_KEY, in the environment");
  let session;
  try {
    session = await new SezzleClient({ ...options, ...credentials }).getSession(positionals[0]);
  } catch (error) {
    if (error instanceof SezzleError && error.kind === "invalid_argument") throw usageFrom(error, baseUrl);
    // (A 404's message already says it: the library's own hint.)
    const hinted = error instanceof SezzleError && error.message.includes("did you mean");
    const advice = error instanceof SezzleError && (error.kind === "http" || error.kind === "validation") && baseUrl !== undefined && !hinted ? baseUrlAdvice(baseUrl) : undefined;
    throw advice ? new Advised(error, advice) : error;
  }
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

// What the system said, in words rather than its code.
const SYSTEM_ERRORS = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
  ENXIO: "not a file (a socket?)",
  EMFILE: "too many open files",
  EIO: "input/output error",
  EADDRINUSE: "the address is in use",
};
const systemText = (error) => SYSTEM_ERRORS[error.code] ?? error.code ?? error.message;

/** One input's report: the library's answer, or why it could not be read. */
async function checkFile(file) {
  let input;
  try {
    input = await readAtMost(file, MAX_INPUT_BYTES);
  } catch (error) {
    return { file, unreadable: systemText(error) };
  }
  const result = input.bytes.length > MAX_INPUT_BYTES ? tooLarge(input.size) : safeParseSession(input.bytes);
  return { file, result, issues: result.success ? [] : result.error.issues ?? [], warnings: result.success ? result.warnings : [] };
}

function reportLines({ file, result, issues, warnings }) {
  const name = file === "-" ? "standard input" : terminalSafe(file);
  const lines = [...issues.map((i) => issueLine("error", i)), ...warnings.map((i) => issueLine("warning", i))];
  lines.push(result.success ? `${name}: valid session ${terminalSafe(result.data.uuid)}${warnings.length ? ` (${warnings.length} warning${warnings.length > 1 ? "s" : ""})` : ""}` : `${name}: invalid session (${issues.length} issue${issues.length > 1 ? "s" : ""})`);
  return lines;
}

const unreadableText = ({ file, unreadable }) => `sezzle-session: cannot read ${file === "-" ? "standard input" : terminalSafe(file)}: ${unreadable}`;

async function check(args) {
  const { values, positionals } = parse(args, { json: { type: "boolean" } });
  if (values.help) return { out: HELP.check, code: 0 };
  const files = positionals.length ? positionals : ["-"];
  if (files.filter((f) => f === "-").length > 1) throw new UsageError("standard input (-) can be read only once");
  // One at a time: each holds up to 1 MiB while it is read.
  const reports = [];
  for (const file of files) reports.push(await checkFile(file));
  const unreadable = reports.filter((r) => r.unreadable !== undefined);
  const code = unreadable.length ? 2 : reports.every((r) => r.result.success) ? 0 : 1;
  const err = unreadable.map(unreadableText).join("\n") || undefined;
  if (files.length === 1) {
    const [report] = reports;
    if (report.unreadable !== undefined) return { err, code };
    const { result, issues, warnings } = report;
    return { out: values.json ? jsonText({ valid: result.success, issues, warnings }) : reportLines(report).join("\n"), code };
  }
  if (values.json) {
    const entries = reports.map(({ file, unreadable, result, issues, warnings }) => (unreadable !== undefined ? { file, error: unreadable } : { file, valid: result.success, issues, warnings }));
    return { out: jsonText(entries), err, code };
  }
  return { out: reports.filter((r) => r.unreadable === undefined).flatMap(reportLines).join("\n"), err, code };
}

async function mock(args) {
  const { values, positionals } = parse(args, { port: { type: "string" } });
  if (values.help) return { out: HELP.mock, code: 0 };
  if (positionals.length) throw new UsageError("mock takes no arguments but --port");
  const port = wholeNumber(values, "port");
  if (port > 65535) throw new UsageError(`--port takes 0 to 65535, got ${values.port.length > 40 ? `${values.port.slice(0, 40)}…` : values.port}`);
  // Loaded for this command only: the others never start a server.
  const { serveMockGateway } = await import("./mock.mjs");
  try {
    await serveMockGateway({ port, log: (line) => process.stdout.write(`${terminalSafe(line)}\n`) });
  } catch (error) {
    if (typeof error?.code !== "string") throw error;
    return { err: `sezzle-session: cannot listen on 127.0.0.1:${error.port ?? port}: ${systemText(error)}`, code: 1 };
  }
  // It serves until a signal, which ends the process with 0.
  return { out: "Ctrl-C stops it.", code: 0 };
}

/** The version in the package.json beside this file. */
function version() {
  return JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")).version;
}

/** The stack trace, escaped but for the newlines between its frames. */
function stackText(error) {
  const stack = String(error.stack);
  // It opens with the message, whose own newlines are data.
  const head = `${error.name}: ${error.message}`;
  const [message, frames] = stack.startsWith(head) ? [head, stack.slice(head.length)] : ["", stack];
  return terminalSafe(message) + frames.split("\n").map(terminalSafe).join("\n");
}

const COMMANDS = { get, check, mock };

/** Runs the command; answers what to print and the exit code, never throws. */
async function main(argv, env = process.env) {
  const debug = argv.includes("--debug");
  const [command, ...rest] = argv;
  const own = Object.hasOwn(COMMANDS, command ?? "");
  try {
    if (own) return await COMMANDS[command](rest, env);
    if (command === "--version" || command === "-v") {
      if (rest.length) throw new UsageError(`${command} takes no arguments`);
      return { out: version(), code: 0 };
    }
    if (command === undefined || command === "-h" || command === "--help" || command === "help") return { out: HELP.main, code: command === undefined ? 2 : 0 };
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    // Messages carry file names, arguments and what a gateway answered: all printed escaped.
    if (error instanceof UsageError) return { err: `sezzle-session: ${terminalSafe(error.message)}\nRun sezzle-session ${own ? `${command} ` : ""}--help for usage.`, code: 2 };
    // The library's messages say what failed and how ("GET /v2/session/x: HTTP 404 Not
    // Found: …", "…: no answer within 10000 ms"), so its kind is not repeated before them.
    const failure = error instanceof Advised ? error.cause : error;
    const detail = failure instanceof SezzleError ? failure.message.replace(/^sezzle-session: /, "") : `unexpected error: ${failure?.message ?? failure}`;
    const advice = error instanceof Advised ? `\n${terminalSafe(error.advice)}` : "";
    return { err: `sezzle-session: ${terminalSafe(detail)}${advice}${debug && failure?.stack ? `\n${stackText(failure)}` : ""}`, code: 1 };
  }
}

const { out, err, code } = await main(process.argv.slice(2));
if (out) process.stdout.write(`${out.trimEnd()}\n`);
if (err) process.stderr.write(`${err}\n`);
process.exitCode = code;
