// Node, ES module (bundled into pkg/node/index.mjs).
import { createRequire } from "node:module";
import { instance } from "./instance.js";

// The client's file: beside this one as installed, through createRequire (an ES module has
// no require of its own). In a Node bundle the file is not beside the bundle, and the
// bundler's require, which followed the plain require below, holds it (scripts/build-pkg.mjs
// keeps that require as written: esbuild would make it a call bundlers do not follow). A
// `require` that is a global of the process (the REPL's, `node -e`'s) is no bundler's: it is
// tried only when the file beside this one is missing or not the package's, and its failure
// is not the one reported.
function clientFile() {
  try {
    const file = createRequire(import.meta.url)("./sezzle-session-client.cjs");
    if (typeof file?.makeClient === "function") return file;
    throw new Error("the sezzle-session-client.cjs beside the package's entry is not the package's");
  } catch (error) {
    if (typeof require !== "function") throw error;
    try {
      return require("./sezzle-session-client.cjs");
    } catch {
      throw error;
    }
  }
}

export const { parseSession, safeParseSession, checkoutUrl, approvalUrl, findLink, getSession, authenticate, SezzleClient, SezzleError, MAX_INPUT_BYTES, CLIENT_DEFAULTS, sessionSchema } =
  instance(clientFile);
