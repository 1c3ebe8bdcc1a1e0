// Headless Chromium for the suites that drive a page, and a loopback server for the packed
// package's files.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { consumer } from "./packed.mjs";

// Without the networking flags Chromium keeps dialling hosts this machine cannot reach.
export const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
  "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
];

export function launchChromium() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

/**
 * Serves `pages` (path -> [body, content-security-policy?]) and, for any other path, the
 * file of the consumer project (target/consumer, where the tarball is installed) at it.
 */
export function serveConsumer(pages) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const type = TYPES[path.slice(path.lastIndexOf("."))];
    if (pages[path]) {
      const [body, csp] = pages[path];
      const headers = { "content-type": type ?? "text/html" };
      if (csp) headers["content-security-policy"] = csp;
      return res.writeHead(200, headers).end(body);
    }
    try {
      const body = await readFile(join(consumer, path));
      res.writeHead(200, { "content-type": type ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
