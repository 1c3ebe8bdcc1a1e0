// The packed package's browser build, imported by name (an import map) in headless Chromium.
import test from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { consumer, fixtureText } from "./packed.mjs";

const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
  "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
];
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

const PAGE = `<!doctype html><meta charset="utf-8"><title>sezzle-session</title>
<script type="importmap">{"imports":{"sezzle-session":"/node_modules/sezzle-session/web/index.js"}}</script>
<script type="module">import * as api from "sezzle-session"; window.api = api; window.ready = true;</script>`;

function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path === "/") return res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    try {
      const body = await readFile(join(consumer, path));
      res.writeHead(200, { "content-type": TYPES[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test("the browser build parses, extracts and fails the same way in Chromium", async () => {
  const server = await serve();
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 15_000 });
    const result = await page.evaluate((seed) => {
      const { api } = window;
      const session = api.parseSession(seed);
      const bytes = api.parseSession(new TextEncoder().encode(seed));
      let thrown;
      try {
        api.parseSession('{"uuid": 42}');
      } catch (e) {
        thrown = { isSezzle: e instanceof api.SezzleError, isError: e instanceof Error, name: e.name, kind: e.kind, path: e.issues[0].path, code: e.issues[0].code };
      }
      const weird = [undefined, null, 1, document.body, window, new Uint8Array([0xff])].map((x) => api.safeParseSession(x).success);
      return {
        uuid: session.uuid,
        sameFromBytes: JSON.stringify(bytes) === JSON.stringify(session),
        tokenizeToken: session.tokenize.token,
        checkout: api.checkoutUrl(session),
        self: api.findLink(session.order.links, "self", "PATCH").method,
        thrown,
        weird,
      };
    }, fixtureText("valid/seed.json"));
    assert.deepEqual(errors, []);
    assert.equal(result.uuid, "fadbc642-05a4-4e38-9e74-80e325623af9");
    assert.ok(result.sameFromBytes);
    assert.equal(result.tokenizeToken, "7ec98824-67cc-469c-86ab-f9e047f9cf1a");
    assert.equal(result.checkout, "https://checkout.sezzle.com/?id=12a34bc5-6de7-890f-g123-4hi1238jk902");
    assert.equal(result.self, "PATCH");
    assert.deepEqual(result.thrown, { isSezzle: true, isError: true, name: "SezzleError", kind: "validation", path: ["uuid"], code: "invalid_type" });
    assert.deepEqual(result.weird, [false, false, false, false, false, false]);
  } finally {
    await browser.close();
    server.close();
  }
});
