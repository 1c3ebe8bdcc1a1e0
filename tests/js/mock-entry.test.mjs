// sezzle-session/mock as a user's test suite uses it: imported by name from the installed
// package, started on a free port, scripted, stopped.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { consumer, root } from "./packed.mjs";

function runInConsumer(name, source) {
  const file = join(consumer, name);
  writeFileSync(file, source);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: consumer, encoding: "utf8", timeout: 30_000 }));
}

test("by name: start, get the seed with the demo keys, script a 503 then a 404, stop", () => {
  const result = runInConsumer("mock-user.mjs", `
    import { startMockGateway, DEMO_KEYS } from "sezzle-session/mock";
    import { SezzleClient, getSession } from "sezzle-session";
    const gateway = await startMockGateway();
    const out = { baseUrl: gateway.baseUrl, keysMatch: gateway.keys.publicKey === DEMO_KEYS.publicKey };
    const client = new SezzleClient({ ...gateway.keys, baseUrl: gateway.baseUrl, retries: 0 });
    out.uuid = (await client.getSession("fadbc642-05a4-4e38-9e74-80e325623af9")).uuid;
    gateway.fault("GET", /\\/v2\\/session\\//, { status: 503 }, { status: 404, body: "[]" });
    for (let i = 0; i < 2; i++) {
      try { await getSession("fadbc642-05a4-4e38-9e74-80e325623af9", { token: gateway.issueToken(), baseUrl: gateway.baseUrl, retries: 0 }); }
      catch (error) { (out.statuses ??= []).push(error.status); }
    }
    out.paths = gateway.requests.map((r) => r.method + " " + r.path);
    await gateway.stop();
    try { await fetch(gateway.baseUrl + "/session/x"); out.stopped = false; } catch { out.stopped = true; }
    console.log(JSON.stringify(out));`);
  assert.match(result.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v2$/);
  assert.equal(result.keysMatch, true);
  assert.equal(result.uuid, "fadbc642-05a4-4e38-9e74-80e325623af9");
  assert.deepEqual(result.statuses, [503, 404]);
  assert.equal(result.paths[0], "POST /v2/authentication");
  assert.equal(result.paths.length, 4);
  assert.equal(result.stopped, true);
});

test("a bad port is a RangeError that names it; the mock is not started", () => {
  const result = runInConsumer("mock-bad.mjs", `
    import { startMockGateway } from "sezzle-session/mock";
    const out = [];
    for (const port of [-1, 65536, 1.5, NaN]) {
      try { await startMockGateway({ port }); out.push("started"); } catch (error) { out.push(error.name + ": " + error.message); }
    }
    console.log(JSON.stringify(out));`);
  assert.equal(result.length, 4);
  for (const line of result) assert.match(line, /^RangeError: startMockGateway: port must be an integer from 0 to 65535/);
});

test("bad options are refused when it starts, with what is wrong, not as 500s later", () => {
  const result = runInConsumer("mock-options.mjs", `
    import { startMockGateway } from "sezzle-session/mock";
    const out = [];
    for (const options of [null, 5, { port: "8080" }, { keys: {} }, { keys: 5 }, { keys: { publicKey: "p" } }, { tokenTtlMs: NaN }, { tokenTtlMs: "1000" },
                           { sessions: { a: 1 } }, { sessions: new Map([["x", 5]]) }]) {
      try { const g = await startMockGateway(options); out.push("started"); await g.stop(); } catch (error) { out.push(error.name + ": " + error.message); }
    }
    console.log(JSON.stringify(out));`);
  assert.equal(result[0], "started", "null options are the defaults");
  assert.match(result[1], /^TypeError: startMockGateway: options must be an object, got 5/);
  assert.match(result[2], /^TypeError: startMockGateway: port must be a number, got "8080"/);
  for (const line of result.slice(3, 6)) assert.match(line, /^TypeError: startMockGateway: keys must be \{ publicKey, privateKey \}/);
  for (const line of result.slice(6, 8)) assert.match(line, /^TypeError: startMockGateway: tokenTtlMs must be a finite number/);
  for (const line of result.slice(8)) assert.match(line, /^TypeError: startMockGateway: sessions must/);
});

test("sezzle-session mock: a leading zero and an endless number are bad usage, echoed short", () => {
  const cli = join(consumer, "node_modules", "sezzle-session", "cli.mjs");
  for (const port of ["080", "9".repeat(100_000)]) {
    const run = spawnSync(process.execPath, [cli, "mock", "--port", port], { encoding: "utf8", timeout: 30_000 });
    assert.equal(run.status, 2);
    assert.ok(run.stderr.length < 300, `${run.stderr.length} bytes of stderr`);
    assert.match(run.stderr, /^sezzle-session: --port takes /);
  }
});

test("require('sezzle-session/mock') works in CommonJS, as import does", () => {
  const result = runInConsumer("mock-require.cjs", `
    const { startMockGateway, DEMO_KEYS } = require("sezzle-session/mock");
    const { getSession } = require("sezzle-session");
    (async () => {
      const gateway = await startMockGateway();
      const session = await getSession("fadbc642-05a4-4e38-9e74-80e325623af9", { token: gateway.issueToken(), baseUrl: gateway.baseUrl });
      await gateway.stop();
      console.log(JSON.stringify({ uuid: session.uuid, keys: gateway.keys.publicKey === DEMO_KEYS.publicKey }));
    })();`);
  assert.deepEqual(result, { uuid: "fadbc642-05a4-4e38-9e74-80e325623af9", keys: true });
});

test("the mock serves every valid fixture: each by its file name, and the sessions by their uuids", () => {
  const dir = join(root, "tests", "fixtures", "valid");
  const names = readdirSync(dir).filter((n) => n.endsWith(".json"));
  assert.ok(names.length >= 9);
  const result = runInConsumer("mock-fixtures.mjs", `
    import { startMockGateway } from "sezzle-session/mock";
    const gateway = await startMockGateway();
    const token = gateway.issueToken();
    const get = async (id) => (await fetch(gateway.baseUrl + "/session/" + id, { headers: { authorization: "Bearer " + token } })).json();
    const out = {};
    for (const name of ${JSON.stringify(names.map((n) => n.replace(/\.json$/, "")))}) out[name] = await get(name);
    out.seedByUuid = await get("fadbc642-05a4-4e38-9e74-80e325623af9");
    await gateway.stop();
    console.log(JSON.stringify({ baseUrl: gateway.baseUrl, out }));`);
  // Links point back at the mock; otherwise each answer is its fixture.
  const back = (text) => JSON.parse(text.replace(/https:\/\/(sandbox\.)?gateway(\.eu)?\.sezzle\.com\/v2/g, result.baseUrl));
  for (const name of names) {
    assert.deepEqual(result.out[name.replace(/\.json$/, "")], back(readFileSync(join(dir, name), "utf8")), name);
  }
  assert.deepEqual(result.out.seedByUuid, back(readFileSync(join(dir, "seed.json"), "utf8")));
});
