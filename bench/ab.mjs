// A/B of two builds of the package on getSession, in one Node process, against the mock
// gateway on loopback: `node bench/ab.mjs <pkg A> <pkg B> [getSession|client]`, each a built
// pkg/ directory (the other one from `git worktree add /tmp/old <commit> && make -C /tmp/old
// build`). 15 rounds of tinybench, the three tasks in alternating order, each task's p50 as
// `make bench` takes it; prints each build's ratio to fetch + JSON.parse (the median of the
// rounds' own ratios) and B's to A's. Run it both ways round: this machine's noise is a few
// percent, and falls on both builds of a round alike.
import { Bench } from "tinybench";
import { startMockGateway } from "../pkg/mock.mjs";

const [dirA, dirB, what = "getSession"] = process.argv.slice(2);
if (!dirA || !dirB || !["getSession", "client"].includes(what)) {
  console.error("usage: node bench/ab.mjs <pkg A> <pkg B> [getSession|client]");
  process.exit(2);
}
const A = await import(`${dirA}/node/index.mjs`);
const B = await import(`${dirB}/node/index.mjs`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const roundsRatio = (ours, theirs) => median(ours.map((time, round) => time / theirs[round]));

const gateway = await startMockGateway();
const token = gateway.issueToken();
const uuid = "fadbc642-05a4-4e38-9e74-80e325623af9";
const url = `${gateway.baseUrl}/session/${uuid}`;
const call = (api) => {
  if (what === "getSession") return () => api.getSession(uuid, { baseUrl: gateway.baseUrl, token });
  const client = new api.SezzleClient({ baseUrl: gateway.baseUrl, ...gateway.keys });
  return () => client.getSession(uuid);
};
const tasks = [
  ["plain", async () => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
    JSON.parse(await response.text());
  }],
  ["A", call(A)],
  ["B", call(B)],
];
const times = { plain: [], A: [], B: [] };
for (let round = 0; round < 15; round++) {
  const bench = new Bench({ time: 120, warmupTime: round === 0 ? 200 : 20 });
  for (const [name, f] of round % 2 ? [...tasks].reverse() : tasks) bench.add(name, f);
  await bench.run();
  for (const task of bench.tasks) times[task.name].push(task.result.latency.p50 * 1000);
  gateway.requests.length = 0;
}
await gateway.close();
const r = (x, y) => roundsRatio(times[x], times[y]).toFixed(3);
console.log(`${what}: A ${r("A", "plain")}  B ${r("B", "plain")}  B/A ${r("B", "A")}`);
