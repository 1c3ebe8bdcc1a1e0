// What the client suites share: the mock gateway for the whole file, reset before each test
// with a fresh token. `const mock = onMockGateway()`; then `mock.gateway`, `mock.token`.
import { after, before, beforeEach } from "node:test";
import { startMockGateway } from "./mock.mjs";

export const SEED_UUID = "fadbc642-05a4-4e38-9e74-80e325623af9";
export const SESSION_PATH = /^\/v2\/session\//;
export const AUTH_PATH = /^\/v2\/authentication$/;

export function onMockGateway(options) {
  const mock = { gateway: undefined, token: undefined };
  before(async () => {
    mock.gateway = await startMockGateway(options);
  });
  after(() => mock.gateway.close());
  beforeEach(() => {
    mock.gateway.reset();
    mock.token = mock.gateway.issueToken();
  });
  return mock;
}
