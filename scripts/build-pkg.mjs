// Assembles pkg/ from wasm-pack's output (target/glue: the module and its ES module glue) and
// the hand-written files in js/.
//
// Each entry is bundled with esbuild into one file: node/index.mjs (import), node/index.cjs
// (require) and web/index.js (browsers). In a fresh Node process each file the loader
// resolves costs time (`make bench` measures the cold start), and a page fetches one script
// instead of four. The bundles keep names and comments: what runs is what js/ says.
import { readFileSync, writeFileSync, copyFileSync, rmSync, existsSync, chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const pkg = join(root, "pkg");
const js = join(root, "js");
const glue = join(root, "target", "glue");

if (!existsSync(join(glue, "sezzle_session_bg.wasm"))) {
  throw new Error("target/glue has no wasm: run wasm-pack build --target web --out-dir target/glue first");
}

// One version: the crate's.
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const version = cargo.match(/^version = "([^"]+)"/m)?.[1];
if (!version) throw new Error("no version in Cargo.toml");

rmSync(pkg, { recursive: true, force: true });
mkdirSync(join(pkg, "node"), { recursive: true });
mkdirSync(join(pkg, "web"), { recursive: true });

// The glue keeps its instance in a module-scope `wasm`, and its initSync returns that once
// set. After a trap the package needs a fresh instance (js/api.js, unexpected): the glue gets
// one more export that drops the old instance and instantiates the same module again.
const RENEW = `
// Added by scripts/build-pkg.mjs.
export function __sezzle_renew() {
  const old = wasm;
  wasm = undefined;
  try {
    return initSync({ module: wasmModule });
  } catch (error) {
    wasm = old; // not left without any instance: the caller tries again later
    throw error;
  }
}
`;
const renewInGlue = {
  name: "glue-renew",
  setup(build) {
    build.onLoad({ filter: /[\\/]sezzle_session\.js$/ }, ({ path }) => {
      const source = readFileSync(path, "utf8");
      if (!/^let wasmModule, wasmInstance, wasm;$/m.test(source) || !source.includes("function initSync(")) {
        throw new Error(`${path}: the glue no longer keeps its instance as build-pkg expects; update RENEW`);
      }
      return { contents: source + RENEW, loader: "js" };
    });
  },
};

const bundles = [
  ["node/import.js", "node/index.mjs", "esm", "node"],
  ["node/require.js", "node/index.cjs", "cjs", "node"],
  ["web/index.js", "web/index.js", "esm", "browser"],
];
for (const [source, out, format, platform] of bundles) {
  await build({
    entryPoints: [join(js, source)],
    outfile: join(pkg, out),
    bundle: true,
    format,
    platform,
    target: "es2022",
    alias: { "sezzle-session-glue": join(glue, "sezzle_session.js") },
    plugins: [renewInGlue],
    define: { __VERSION__: JSON.stringify(version) },
    banner: { js: `// sezzle-session ${version}: built from js/${source} by scripts/build-pkg.mjs.` },
    // esbuild warns of the glue's import.meta.url before it drops the loader that reads it,
    // which no Node bundle holds (the packaging test checks the files entries point at).
    logOverride: { "empty-import-meta": "silent" },
    logLevel: "warning",
  });
}
copyFileSync(join(glue, "sezzle_session_bg.wasm"), join(pkg, "web", "sezzle_session_bg.wasm"));
// web/index.js is an ES module wherever it is read (the package itself is not "type": "module").
writeFileSync(join(pkg, "web", "package.json"), `{ "type": "module" }\n`);

copyFileSync(join(js, "cli.mjs"), join(pkg, "cli.mjs"));
chmodSync(join(pkg, "cli.mjs"), 0o755);
// index.d.ts re-exports the declarations generated from the Rust types (src/generated_js.rs).
for (const file of ["index.d.ts", "types.generated.d.ts"]) copyFileSync(join(js, file), join(pkg, file));
for (const file of ["README.md", "LICENSE", "CHANGELOG.md"]) copyFileSync(join(root, file), join(pkg, file));

const manifest = JSON.parse(readFileSync(join(js, "package.json"), "utf8"));
manifest.version = version;
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`pkg/ assembled: sezzle-session@${version}`);
