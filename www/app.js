// The session inspector: everything the page does, with the package's browser build.
// Credentials live only in the form's fields and in the one call that uses them: never in the
// URL, storage, or the console.
import { SezzleClient, SezzleError, approvalUrl, checkoutUrl, getSession, safeParseSession } from "./pkg/web/index.js";
import { relative } from "./pkg/web/relative.js";
import { pathText } from "./pkg/web/path.js";
import { locate } from "./locate.js";

const $ = (id) => document.getElementById(id);
const DEFAULT_LOCAL_GATEWAY = "http://127.0.0.1:8787/v2";

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

function describeItem(dl, term, ...value) {
  dl.append(el("dt", {}, term), el("dd", {}, ...value));
}

// --- rendering a payload ------------------------------------------------------------------

let current = { text: "", issues: [] };

function showSummary(session) {
  const summary = $("summary");
  summary.replaceChildren();
  describeItem(summary, "Session uuid", el("code", {}, session.uuid));
  if (session.order) {
    describeItem(summary, "Order uuid", el("code", {}, session.order.uuid));
    describeItem(summary, "Intent", session.order.intent ?? "not given");
  } else describeItem(summary, "Order", "none");
  if (session.tokenize) {
    describeItem(summary, "Tokenize token", el("code", {}, session.tokenize.token));
    const expiration = session.tokenize.expiration;
    if (expiration) {
      const at = new Date(expiration);
      const status = relative(at.getTime() - Date.now());
      const time = el("time", { datetime: expiration }, at.toLocaleString());
      describeItem(summary, "Expiration", time, " ", el("span", { class: status.startsWith("expired") ? "status bad" : "status good", id: "expiration-status" }, status));
    } else describeItem(summary, "Expiration", "not given");
  }
}

// One shopper URL: a link when the package calls it safe, otherwise inert text and the reason.
function showUrl(dl, label, id, pick, session, raw, failure) {
  let value;
  if (session) {
    try {
      const url = pick(session);
      value = url === undefined ? el("span", { id }, "none") : el("a", { id, href: url, rel: "noopener noreferrer", target: "_blank" }, url);
    } catch (error) {
      failure = error instanceof SezzleError ? error.issues?.[0]?.message ?? error.message : String(error);
    }
  }
  if (!value && typeof raw === "string") {
    value = el("span", { id, class: "unsafe" }, el("code", {}, raw), el("span", { class: "reason" }, ` not a link: ${failure ?? "the payload is invalid"}`));
  }
  describeItem(dl, label, value ?? el("span", { id }, "none"));
}

function showLinks(session) {
  const body = $("links").tBodies[0];
  body.replaceChildren();
  const rows = [
    ...(session?.links ?? []).map((l) => ["session", l]),
    ...(session?.order?.links ?? []).map((l) => ["order", l]),
    ...(session?.tokenize?.links ?? []).map((l) => ["tokenize", l]),
  ];
  for (const [owner, link] of rows) {
    body.append(el("tr", {}, el("td", {}, owner), el("td", {}, link.rel), el("td", {}, el("span", { class: `badge ${link.method.toLowerCase()}` }, link.method)), el("td", {}, el("code", {}, link.href))));
  }
  if (rows.length === 0) body.append(el("tr", {}, el("td", { colspan: "4" }, "no links")));
}

function showView(span) {
  const view = $("view");
  const { text } = current;
  if (!span) return view.replaceChildren(text);
  const mark = el("mark", {}, text.slice(span[0], span[1]) || " ");
  view.replaceChildren(text.slice(0, span[0]), mark, text.slice(span[1]));
  mark.scrollIntoView({ block: "nearest" });
}

function showIssues(issues) {
  const list = $("issues");
  list.replaceChildren();
  if (issues.length === 0) list.append(el("li", {}, "none"));
  issues.forEach((issue, index) => {
    const button = el(
      "button",
      { type: "button", class: `issue ${issue.severity}`, "data-index": String(index) },
      el("span", { class: "severity" }, issue.severity),
      " ",
      el("code", { class: "path" }, pathText(issue.path)),
      " ",
      el("span", { class: "code" }, issue.code),
      " ",
      issue.message,
    );
    button.addEventListener("click", () => {
      for (const b of list.querySelectorAll("button")) b.removeAttribute("aria-current");
      button.setAttribute("aria-current", "true");
      showView(locate(current.text, issue));
    });
    list.append(el("li", {}, button));
  });
}

function rawField(text, ...path) {
  try {
    return path.reduce((value, key) => value?.[key], JSON.parse(text));
  } catch {
    return undefined;
  }
}

let inspections = 0;

export function inspect(text) {
  // Counted, so that a test (or an extension) can tell when the view is up to date.
  document.body.dataset.inspections = String(++inspections);
  current = { text, issues: [] };
  $("result").hidden = text.trim() === "";
  if ($("result").hidden) return;
  const result = safeParseSession(text);
  const session = result.success ? result.data : undefined;
  const errors = result.success ? [] : result.error.issues ?? [{ path: [], code: "invalid_input", message: result.error.message }];
  const warnings = result.success ? result.warnings : [];
  current.issues = [...errors.map((i) => ({ ...i, severity: "error" })), ...warnings.map((i) => ({ ...i, severity: "warning" }))];

  const verdict = $("verdict");
  verdict.className = result.success ? "verdict good" : "verdict bad";
  verdict.textContent = result.success
    ? `Valid session${warnings.length ? `, ${warnings.length} warning${warnings.length > 1 ? "s" : ""}` : ""}.`
    : `Not a valid session: ${errors.length} issue${errors.length > 1 ? "s" : ""}.`;

  if (session) showSummary(session);
  else $("summary").replaceChildren();
  const urls = $("urls");
  urls.replaceChildren();
  const issueAt = (path) => errors.find((i) => pathText(i.path) === path)?.message;
  const tokenizePath = rawField(text, "tokenize") ? ["tokenize"] : ["order", "tokenize"];
  showUrl(urls, "Checkout URL", "checkout-url", checkoutUrl, session, rawField(text, "order", "checkout_url"), issueAt("order.checkout_url"));
  showUrl(urls, "Approval URL", "approval-url", approvalUrl, session, rawField(text, ...tokenizePath, "approval_url"), issueAt(`${pathText(tokenizePath)}.approval_url`));
  showLinks(session);
  showIssues(current.issues);
  showView(undefined);
}

// --- input: paste, drop, open -------------------------------------------------------------

function useText(text) {
  $("payload").value = text;
  inspect(text);
}

async function readFile(file) {
  if (file.size > 1024 * 1024) return useText(`// ${file.name} is ${file.size} bytes; at most 1 MiB is inspected`);
  useText(await file.text());
}

let timer;
$("payload").addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => inspect($("payload").value), 150);
});
$("payload").addEventListener("dragover", (event) => event.preventDefault());
$("payload").addEventListener("drop", (event) => {
  event.preventDefault();
  const file = event.dataTransfer?.files?.[0];
  if (file) readFile(file);
});
$("file").addEventListener("change", () => {
  const file = $("file").files?.[0];
  if (file) readFile(file);
});
$("clear").addEventListener("click", () => useText(""));
$("sample").addEventListener("click", async () => {
  const response = await fetch("samples/seed.json");
  useText(response.ok ? await response.text() : "");
});

// --- lookup -------------------------------------------------------------------------------

const config = await fetch("config.json")
  .then((r) => (r.ok ? r.json() : {}))
  .catch(() => ({}));
$("base-url").value = config.gatewayBaseUrl ?? DEFAULT_LOCAL_GATEWAY;
if (config.sessionUuid) $("session-uuid").value = config.sessionUuid;

function syncForm() {
  const local = $("gateway").value === "local";
  $("base-url").hidden = !local;
  document.querySelector('label[for="base-url"]').hidden = !local;
  const byToken = document.querySelector('input[name="auth"]:checked').value === "token";
  $("keys-fields").hidden = byToken;
  $("token-fields").hidden = !byToken;
}
$("gateway").addEventListener("change", syncForm);
for (const radio of document.querySelectorAll('input[name="auth"]')) radio.addEventListener("change", syncForm);
syncForm();

function showLookupError(error) {
  const status = $("lookup-status");
  status.className = "error";
  if (!(error instanceof SezzleError)) return status.replaceChildren(el("strong", {}, "Error: "), String(error?.message ?? error));
  const facts = el("dl", { class: "error-facts" });
  describeItem(facts, "kind", el("code", { id: "error-kind" }, error.kind));
  if (error.status !== undefined) describeItem(facts, "status", el("code", { id: "error-status" }, String(error.status)));
  for (const api of error.apiErrors ?? []) describeItem(facts, "Sezzle says", `${api.message ?? ""}${api.code ? ` (${api.code}${api.location ? ` at ${api.location}` : ""})` : ""}`);
  if (error.debugUuid) describeItem(facts, "debug_uuid", el("code", { id: "error-debug-uuid" }, error.debugUuid));
  status.replaceChildren(el("p", { id: "error-message" }, error.message), facts);
}

let controller;
$("lookup").addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = $("lookup-status");
  const [environment, region] = $("gateway").value.split("-");
  const where = environment === "local" ? { baseUrl: $("base-url").value.trim() } : { environment, region };
  const byToken = document.querySelector('input[name="auth"]:checked').value === "token";
  controller = new AbortController();
  $("fetch").disabled = true;
  $("cancel").disabled = false;
  status.className = "";
  status.textContent = "Fetching…";
  try {
    const uuid = $("session-uuid").value.trim();
    const session = byToken
      ? await getSession(uuid, { ...where, token: $("token").value.trim(), signal: controller.signal })
      : await new SezzleClient({ ...where, publicKey: $("public-key").value.trim(), privateKey: $("private-key").value.trim() }).getSession(uuid, { signal: controller.signal });
    status.className = "ok";
    status.textContent = `Fetched session ${session.uuid}.`;
    useText(JSON.stringify(session, null, 2));
  } catch (error) {
    showLookupError(error);
  } finally {
    $("fetch").disabled = false;
    $("cancel").disabled = true;
  }
});
$("cancel").addEventListener("click", () => controller?.abort());

document.body.dataset.ready = "true";
