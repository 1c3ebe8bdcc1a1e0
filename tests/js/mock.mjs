// The mock gateway the package ships (sezzle-session/mock), from the packed tarball: the
// package's tests use the one its users get.
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { installed } from "./packed.mjs";

export const { startMockGateway, serveMockGateway, fixtureSessions, DEMO_KEYS, DEMO_MERCHANT_UUID } = await import(
  pathToFileURL(join(installed, "mock.mjs")).href
);
