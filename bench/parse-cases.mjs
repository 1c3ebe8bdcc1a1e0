// The parse measurements, shared by Node (bench/run.mjs) and Chromium (bench/page.html):
// per payload, ours and the baselines on the same input, medians from one tinybench run.

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The baseline of a parse of bytes: decoding them, then JSON.parse. */
export const BYTES_BASELINE = "JSON.parse of the bytes (TextDecoder first)";

/** A large session: hundreds of links, tens of kilobytes. */
export function largePayload(seed, links = 400) {
  const session = structuredClone(seed);
  const base = "https://gateway.sezzle.com/v2";
  const rels = ["self", "capture", "refund", "release", "order", "customer", "token"];
  const methods = ["GET", "POST", "PATCH"];
  for (let i = 0; i < links; i++) {
    const link = { href: `${base}/order/${session.order.uuid}/event/${i}?page=${i % 17}`, method: methods[i % 3], rel: rels[i % rels.length] };
    (i % 2 ? session.links : session.order.links).push(link);
  }
  return session;
}

/**
 * Runs every case; `baselines` maps a name to a function of the parsed object (throwing or
 * returning false when invalid). Answers [{ payload, name, us }] with the median time per call.
 * `batch` calls are timed together where the clock is coarse (browsers round
 * performance.now() to 100 µs without cross-origin isolation).
 */
export async function measureParse({ Bench, api, baselines, payloads, time = 500, batch = 1, rounds = 9 }) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const rows = [];
  for (const [payload, text] of Object.entries(payloads)) {
    const bytes = encoder.encode(text);
    const object = JSON.parse(text);
    const session = api.parseSession(text);
    for (const [name, check] of Object.entries(baselines)) {
      if (check(JSON.parse(text)) === false) throw new Error(`${name} refuses the ${payload} payload: not an equivalent schema`);
    }
    let sink = 0;
    const cases = [
      ["JSON.parse", () => JSON.parse(text).uuid.length],
      // What a caller holding the payload's bytes does without the package.
      [BYTES_BASELINE, () => JSON.parse(decoder.decode(bytes)).uuid.length],
      ...Object.entries(baselines).map(([name, check]) => [`JSON.parse + ${name}`, () => (check(JSON.parse(text)) ? 1 : 0)]),
      ["parseSession(string)", () => api.parseSession(text).uuid.length],
      ["parseSession(Uint8Array)", () => api.parseSession(bytes).uuid.length],
      ["parseSession(object)", () => api.parseSession(object).uuid.length],
      // The object form's baselines: the same rules on the object a caller already holds.
      ...Object.entries(baselines).map(([name, check]) => [`${name} of the object`, () => (check(object) ? 1 : 0)]),
      ["checkoutUrl(session)", () => (api.checkoutUrl(session) ?? "").length],
    ];
    // Rounds of every case in turn, so that a slow spell of the machine falls on all of them.
    // Each round starts the list at another case, so that no case always follows the same one.
    const perRound = new Map();
    for (let round = 0; round < rounds; round++) {
      const bench = new Bench({ time: time / rounds, warmupTime: round === 0 ? 100 : 20 });
      const shift = round % cases.length;
      for (const [name, once] of [...cases.slice(shift), ...cases.slice(0, shift)]) {
        const run = () => {
          for (let i = 0; i < batch; i++) sink ^= once();
        };
        bench.add(name, run);
      }
      await bench.run();
      for (const task of bench.tasks) {
        if (task.result?.state !== "completed") throw new Error(`${payload} / ${task.name}: ${task.result?.error ?? task.result?.state}`);
        if (!perRound.has(task.name)) perRound.set(task.name, []);
        perRound.get(task.name).push((task.result.latency.p50 * 1000) / batch);
      }
    }
    for (const [name, times] of perRound) rows.push({ payload, name, us: median(times), rounds: times });
    if (sink === 0.5) console.log(sink); // keeps the results alive
  }
  return rows;
}
