// `make demo`: the mock gateway, seeded with the fixture sessions, and the inspector page
// (www/ with the package's browser build under /pkg/), both on 127.0.0.1 only.
//
//   node scripts/demo.mjs            # gateway on 8787, page on 8080 (DEMO_GATEWAY_PORT, DEMO_PORT)
//
// The page tests start the same servers through startDemo().
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { DEMO_KEYS, startMockGateway } from "../pkg/mock.mjs";

const root = new URL("..", import.meta.url).pathname;
export const SEED_UUID = "fadbc642-05a4-4e38-9e74-80e325623af9";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

// URL prefix -> folder, and the files of each that may be served.
const MOUNTS = [
  ["/pkg/", join(root, "pkg"), /^web\/[\w.-]+$/],
  ["/samples/", join(root, "tests", "fixtures", "valid"), /^[\w.-]+\.json$/],
  ["/", join(root, "www"), /^([\w-]+\.(html|js|css)|)$/],
];

function headers(type, gatewayOrigin) {
  return {
    "content-type": type,
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    // Scripts only from here (and wasm compiled from here); requests only to here, the
    // local gateway and Sezzle's gateways; no forms posted anywhere.
    "content-security-policy": [
      "default-src 'self'",
      "script-src 'self' 'wasm-unsafe-eval'",
      `connect-src 'self' ${gatewayOrigin} http://127.0.0.1:* http://localhost:* https://*.sezzle.com`,
      "img-src 'self' data:",
      "style-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
  };
}

/** Starts the gateway and the page server; `close()` stops both. */
export async function startDemo({ gatewayPort = 0, pagePort = 0 } = {}) {
  const gateway = await startMockGateway({ port: gatewayPort });
  const config = JSON.stringify({ gatewayBaseUrl: gateway.baseUrl, sessionUuid: SEED_UUID });
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      return res.writeHead(400).end("bad path");
    }
    if (path === "/config.json") return res.writeHead(200, headers(TYPES[".json"], gateway.origin)).end(config);
    const [prefix, dir, allowed] = MOUNTS.find(([p]) => path.startsWith(p));
    const relative = path.slice(prefix.length) || "index.html";
    const file = normalize(join(dir, relative));
    if (!allowed.test(relative) || !file.startsWith(dir + sep)) return res.writeHead(404).end("not found");
    try {
      const body = await readFile(file);
      res.writeHead(200, headers(TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream", gateway.origin)).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(pagePort, "127.0.0.1", resolve);
  });
  const page = `http://127.0.0.1:${server.address().port}/`;
  return {
    gateway,
    page,
    async close() {
      server.closeAllConnections?.();
      await Promise.all([new Promise((resolve) => server.close(resolve)), gateway.close()]);
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const gatewayPort = Number(process.env.DEMO_GATEWAY_PORT ?? 8787);
  const pagePort = Number(process.env.DEMO_PORT ?? 8080);
  let demo;
  try {
    demo = await startDemo({ gatewayPort, pagePort });
  } catch (error) {
    console.error(`make demo: cannot listen (${error.code ?? error.message}); choose other ports: DEMO_PORT=8081 DEMO_GATEWAY_PORT=8788 make demo`);
    process.exit(1);
  }
  const bin = join(root, "target", "consumer", "node_modules", ".bin", "sezzle-session");
  console.log(`
  Session inspector:   ${demo.page}
  Mock Sezzle gateway: ${demo.gateway.baseUrl}   (keys: ${DEMO_KEYS.publicKey} / ${DEMO_KEYS.privateKey})

  Open the page, press "Load Sezzle's example", or look up session ${SEED_UUID}.
  From a shell, with the installed command:

    SEZZLE_PUBLIC_KEY=${DEMO_KEYS.publicKey} SEZZLE_PRIVATE_KEY=${DEMO_KEYS.privateKey} ${bin.replace(root, "")} get ${SEED_UUID} --base-url ${demo.gateway.baseUrl}

  Ctrl-C stops both servers.
`);
  const stop = () => demo.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
