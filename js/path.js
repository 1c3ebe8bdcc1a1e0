// An issue's path as a reader writes it, `order.links[2].href`, or `(root)`: the JavaScript
// spelling of src/error.rs's `path_text`, which the Rust side's messages use. The package's
// own messages (js/api.js), the `sezzle-session` command (js/cli.mjs) and the inspector page
// (www/app.js) all write paths with this one; scripts/build-pkg.mjs copies it to
// pkg/web/path.js, where the command and the page import it.

/** `path` as text; `key(name)` writes each key (the command makes them safe for a terminal). */
export function pathText(path, key = (name) => name) {
  if (path.length === 0) return "(root)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? key(p) : `.${key(p)}`)).join("");
}
