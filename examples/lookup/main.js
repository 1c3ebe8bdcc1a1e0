// Loads the module wasm-pack built into pkg/ (its start function wires the page).
import init from "./pkg/sezzle_lookup.js";

await init();
