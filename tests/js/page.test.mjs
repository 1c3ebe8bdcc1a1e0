// The inspector page in headless Chromium, against the page server and mock gateway exactly
// as `make demo` starts them. Each state is saved as a screenshot in target/screenshots/.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startDemo, SEED_UUID } from "../../scripts/demo.mjs";
import { DEMO_KEYS } from "./mock.mjs";
import { fixtureJson, fixtureText, root } from "./packed.mjs";

const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
  "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
];
const SHOTS = join(root, "target", "screenshots");
const SEED = fixtureJson("valid/seed.json");

let demo;
let browser;
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo();
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await demo?.close();
});

// A fresh page on the inspector; `use(page, console)` gets the page and its console lines.
async function onPage(use, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 }, ...contextOptions });
  const page = await context.newPage();
  const lines = [];
  const errors = [];
  page.on("console", (m) => lines.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await page.goto(demo.page);
    await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
    await use(page, lines);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
}

async function paste(page, text) {
  const before = await page.evaluate(() => Number(document.body.dataset.inspections ?? 0));
  await page.fill("#payload", text);
  await page.waitForFunction((n) => Number(document.body.dataset.inspections) > n, before);
}

const shot = (page, name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

test("the seed payload shows its ids, expiration status, link table and a clickable checkout link", () =>
  onPage(async (page) => {
    await page.click("#sample");
    await page.waitForSelector("#summary dd");
    const summary = await page.$$eval("#summary dt, #summary dd", (nodes) => nodes.map((n) => n.textContent.trim()));
    assert.deepEqual(summary.slice(0, 6), ["Session uuid", SEED_UUID, "Order uuid", SEED.order.uuid, "Intent", "CAPTURE"]);
    assert.ok(summary.includes(SEED.order.tokenize.token));
    assert.match(await page.textContent("#expiration-status"), /^expired \d+ days ago$/);
    assert.match(await page.textContent("#verdict"), /^Valid session, 1 warning\.$/);

    const link = await page.$("a#checkout-url");
    assert.ok(link, "the checkout URL is a link");
    assert.equal(await link.getAttribute("href"), SEED.order.checkout_url);
    assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
    assert.equal(await page.textContent("#approval-url"), SEED.order.tokenize.approval_url);

    const rows = await page.$$eval("#links tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(rows.length, SEED.links.length + SEED.order.links.length + SEED.order.tokenize.links.length);
    assert.deepEqual(rows[0], ["session", "self", "GET", SEED.links[0].href]);
    assert.ok(rows.some(([of, rel, method]) => of === "order" && rel === "self" && method === "PATCH"));
    assert.equal(await page.$$eval("#links .badge", (b) => b.length), rows.length);

    const warning = await page.textContent("#issues button");
    assert.match(warning, /warning\s+order\.tokenize\s+tokenize_in_order/);
    await shot(page, "seed");
  }));

for (const [name, url, reason] of [
  ["javascript", "javascript:alert(document.cookie)", /not a link: .*(scheme|https)/i],
  ["look-alike", "https://checkout.sezzle.com.evil.example/?id=1", /not a link: .*(host|Sezzle)/i],
]) {
  test(`a ${name} checkout URL is shown as inert text with the reason, never as a link`, () =>
    onPage(async (page) => {
      const payload = structuredClone(SEED);
      payload.order.checkout_url = url;
      await paste(page, JSON.stringify(payload, null, 2));
      assert.equal(await page.$$eval(`a[href="${url}"], a#checkout-url`, (a) => a.length), 0);
      assert.equal(await page.getAttribute("#checkout-url", "class"), "unsafe");
      assert.equal(await page.textContent("#checkout-url code"), url);
      assert.match(await page.textContent("#checkout-url .reason"), reason);
      await shot(page, `unsafe-${name}`);
    }));
}

test("a malformed payload lists every issue with its path; choosing one highlights its place", () =>
  onPage(async (page) => {
    await paste(page, fixtureText("invalid/bad-links.json"));
    assert.match(await page.textContent("#verdict"), /^Not a valid session: 6 issues\.$/);
    const issues = await page.$$eval("#issues button .path", (p) => p.map((n) => n.textContent));
    assert.deepEqual(issues.slice(0, 3), ["links[0].href", "links[0].method", "links[0].rel"]);
    await page.click("#issues li:nth-child(2) button");
    assert.equal(await page.textContent("#view mark"), '"get"');
    assert.equal(await page.getAttribute("#issues li:nth-child(2) button", "aria-current"), "true");
    await shot(page, "issues");

    await paste(page, '{\n  "uuid": "s",\n  "links": [\n');
    assert.match(await page.textContent("#issues button"), /\(root\)\s+invalid_json/);
    await page.click("#issues button");
    assert.ok(await page.$("#view mark"), "malformed JSON is highlighted by line and column");
  }));

test("look up: the form fetches a session from the mock gateway, and shows a 404 as an error", () =>
  onPage(async (page, consoleLines) => {
    assert.equal(await page.inputValue("#base-url"), demo.gateway.baseUrl);
    await page.fill("#public-key", DEMO_KEYS.publicKey);
    await page.fill("#private-key", DEMO_KEYS.privateKey);
    await page.fill("#session-uuid", SEED_UUID);
    await page.press("#session-uuid", "Enter");
    await page.waitForSelector("#lookup-status.ok");
    assert.equal(await page.textContent("#summary dd code"), SEED_UUID);
    assert.ok(await page.$("a#checkout-url"));
    await shot(page, "lookup");

    await page.fill("#session-uuid", "no-such-session");
    await page.click("#fetch");
    await page.waitForSelector("#lookup-status.error #error-kind");
    assert.equal(await page.textContent("#error-kind"), "http");
    assert.equal(await page.textContent("#error-status"), "404");
    assert.match(await page.textContent("#lookup-status"), /Session not found/);
    assert.match(await page.textContent("#error-debug-uuid"), /^[0-9a-f-]{36}$/);
    await shot(page, "lookup-404");

    // The credentials went nowhere but the gateway.
    assert.equal(new URL(page.url()).search, "");
    const stored = await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]);
    assert.deepEqual(stored, [0, 0, ""]);
    assert.ok(!consoleLines.join("\n").includes(DEMO_KEYS.privateKey));
    const posted = demo.gateway.requests.filter((r) => r.method === "POST");
    assert.ok(posted.length >= 1 && posted.every((r) => JSON.parse(r.body).private_key === DEMO_KEYS.privateKey));
  }));

test("look up with a token: a bad token is shown as a 401 from the gateway", () =>
  onPage(async (page) => {
    await page.check('input[name="auth"][value="token"]');
    assert.equal(await page.isVisible("#public-key"), false);
    await page.fill("#token", "mock_wrong_token_value");
    await page.fill("#session-uuid", SEED_UUID);
    await page.click("#fetch");
    await page.waitForSelector("#lookup-status.error #error-status");
    assert.equal(await page.textContent("#error-status"), "401");
    assert.ok(!(await page.textContent("#lookup-status")).includes("mock_wrong_token_value"));
  }));

test("every control is labelled, the page works from the keyboard, at phone width and in the dark", () =>
  onPage(
    async (page) => {
      const unlabelled = await page.$$eval("input, select, textarea", (controls) => controls.filter((c) => c.labels.length === 0).map((c) => c.id || c.name));
      assert.deepEqual(unlabelled, []);
      await page.focus("#payload");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.id), "sample");
      await page.keyboard.press("Enter");
      await page.waitForSelector("a#checkout-url");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than a phone`);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(background, "rgb(21, 21, 26)");
      await shot(page, "phone-dark");
    },
    { viewport: { width: 390, height: 844 }, colorScheme: "dark" },
  ));

test("a payload file can be opened with the file control or dropped on the text box", () =>
  onPage(async (page) => {
    await page.setInputFiles("#file", join(root, "tests", "fixtures", "valid", "order-only.json"));
    await page.waitForSelector("#summary dd");
    const expected = fixtureJson("valid/order-only.json");
    assert.equal(await page.textContent("#summary dd code"), expected.uuid);
    assert.equal(await page.inputValue("#payload"), fixtureText("valid/order-only.json"));

    const before = await page.evaluate(() => Number(document.body.dataset.inspections));
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], "dropped.json", { type: "application/json" }));
      document.getElementById("payload").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    }, fixtureText("invalid/bad-links.json"));
    await page.waitForFunction((n) => Number(document.body.dataset.inspections) > n, before);
    assert.match(await page.textContent("#verdict"), /^Not a valid session: 6 issues\.$/);
  }));
