// "expired 3 days ago" / "expires in 2 h": how far a moment is, as the session inspector page
// (www/app.js) and the `sezzle-session get` summary both say it. Copied to pkg/web/relative.js
// by scripts/build-pkg.mjs, where the command and the page each import it.

/** The wording for a moment `ms` milliseconds from now (negative: past). */
export function relative(ms) {
  const abs = Math.abs(ms);
  const units = [
    [86_400_000, "day", "days"],
    [3_600_000, "h", "h"],
    [60_000, "min", "min"],
    [1000, "s", "s"],
  ];
  const [size, one, many] = units.find(([size]) => abs >= size) ?? units[units.length - 1];
  const n = Math.round(abs / size);
  const amount = `${n} ${n === 1 ? one : many}`;
  return ms < 0 ? `expired ${amount} ago` : `expires in ${amount}`;
}
