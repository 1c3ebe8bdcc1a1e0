// The Rust example (examples/lookup: a wasm page that uses sezzle_session::Client, built by
// `make example`) served on 127.0.0.1 and driven in headless Chromium against the mock gateway.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { fixtureSessions, startMockGateway } from "./mock.mjs";
import { root } from "./packed.mjs";

const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
  "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
];
const SEED_UUID = "fadbc642-05a4-4e38-9e74-80e325623af9";
const FILES = {
  "/": [join(root, "examples/lookup/index.html"), "text/html"],
  "/main.js": [join(root, "examples/lookup/main.js"), "text/javascript"],
  "/pkg/sezzle_lookup.js": [join(root, "target/example/pkg/sezzle_lookup.js"), "text/javascript"],
  "/pkg/sezzle_lookup_bg.wasm": [join(root, "target/example/pkg/sezzle_lookup_bg.wasm"), "application/wasm"],
};

let server;
let pageUrl;
let gateway;
let browser;
const seed = fixtureSessions().get(SEED_UUID);

before(async () => {
  // The seed, and a copy whose checkout URL is well formed but not Sezzle's.
  const sessions = fixtureSessions();
  sessions.set("evil-link", { ...seed, uuid: "evil-link", order: { ...seed.order, checkout_url: "https://checkout.sezzle.com.evil.example/pay" } });
  gateway = await startMockGateway({ sessions });
  server = createServer((req, res) => {
    // wasm-bindgen's snippets: the crate's one JS file (src/client/read_body.js), beside the glue.
    const snippet = /^\/pkg\/(snippets\/[\w.-]+\/[\w./-]+\.js)$/.exec(req.url);
    const file = snippet && !snippet[1].includes("..") ? [join(root, "target/example/pkg", snippet[1]), "text/javascript"] : FILES[req.url];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": file[1] }).end(readFileSync(file[0]));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  pageUrl = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await gateway?.close();
});

// Fills the form, clicks, and answers what the page shows.
async function lookUp(session, token = gateway.issueToken()) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await page.goto(pageUrl);
    await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
    await page.fill("#gateway", gateway.baseUrl);
    await page.fill("#token", token);
    await page.fill("#session", session);
    await page.click("#look-up");
    await page.waitForSelector("#result[data-status]");
    const shown = await page.evaluate(() => {
      const link = document.querySelector("#checkout");
      return {
        status: document.querySelector("#result").dataset.status,
        text: document.querySelector("#result").textContent,
        link: link.hidden ? null : link.getAttribute("href"),
      };
    });
    assert.deepEqual(errors, []);
    return shown;
  } finally {
    await context.close();
  }
}

test("the Rust example page looks the seed session up and shows its checkout link", async () => {
  const shown = await lookUp(SEED_UUID);
  assert.equal(shown.status, "found");
  assert.equal(shown.text, `session ${SEED_UUID}, order ${seed.order.uuid}`);
  assert.equal(shown.link, seed.order.checkout_url);
  const get = gateway.requests.find((r) => r.path === `/v2/session/${SEED_UUID}`);
  assert.match(get.headers.authorization, /^Bearer mock_/);
});

test("the Rust example page shows the client's error for an unknown session and a bad token", async () => {
  const missing = await lookUp("no-such-session");
  assert.equal(missing.status, "failed");
  assert.match(missing.text, /^http: GET \/v2\/session\/no-such-session: HTTP 404 Not Found: Session not found/);
  assert.equal(missing.link, null);
  const refused = await lookUp(SEED_UUID, "not-a-token");
  assert.match(refused.text, /^http: .*HTTP 401 Unauthorized/);
  assert.ok(!refused.text.includes("not-a-token"), "the token is not in the message");
});

test("the Rust example page never links a checkout URL that is not Sezzle's", async () => {
  const shown = await lookUp("evil-link");
  assert.equal(shown.status, "found");
  assert.equal(shown.link, null);
});
