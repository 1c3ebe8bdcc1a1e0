// The ES module side of the declarations (index.d.mts, slim.d.mts), compiled with the
// consumer: what an ES module imports is what the entries export, and nothing more.
// @ts-expect-error the ES module entries have no default export
import missing from "sezzle-session";
import { parseSession, type Session } from "sezzle-session";
import { init, initSync, parseSession as slimParse, SezzleError, type ModuleSource } from "sezzle-session/slim";

const source: ModuleSource = new URL("https://cdn.example/sezzle_session_bg.wasm");
await init(source);
await init();
initSync(new Uint8Array(8));
const a: Session = parseSession("{}");
const b: Session = slimParse("{}");
const e = new SezzleError("invalid_argument", "x");
void missing, a, b, e;

import { startMockGateway, type MockGateway } from "sezzle-session/mock";
const gateway: MockGateway = await startMockGateway({ port: 0 });
gateway.fault("GET", /\/v2\/session\//, { status: 503 }, { delayMs: 10 });
// @ts-expect-error a path is a RegExp
gateway.fault("GET", "/v2/session/", { status: 503 });
const base: string = gateway.baseUrl;
await gateway.stop();
void base;
