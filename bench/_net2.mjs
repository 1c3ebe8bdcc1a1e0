import { Bench } from "tinybench";
import * as api from "../pkg/node/index.mjs";
import * as old from "/work/old/pkg/node/index.mjs";
import { startMockGateway } from "../gateway/mock-gateway.mjs";
const gateway = await startMockGateway();
const token = gateway.issueToken();
const url = `${gateway.baseUrl}/session/fadbc642-05a4-4e38-9e74-80e325623af9`;
const res = {};
for (let round = 0; round < 5; round++) {
  const b = new Bench({ time: 400, warmupTime: 100 });
  b.add("fetch + JSON.parse", async () => { const r = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } }); JSON.parse(await r.text()); });
  b.add("getSession new", async () => { await api.getSession("fadbc642-05a4-4e38-9e74-80e325623af9", { baseUrl: gateway.baseUrl, token }); });
  b.add("getSession old", async () => { await old.getSession("fadbc642-05a4-4e38-9e74-80e325623af9", { baseUrl: gateway.baseUrl, token }); });
  await b.run();
  for (const t of b.tasks) (res[t.name] ??= []).push(t.result.latency.p50 * 1000);
  gateway.requests.length = 0;
}
for (const [k, v] of Object.entries(res)) console.log(k, v.map((x) => x.toFixed(0)).join(" "));
await gateway.close();
