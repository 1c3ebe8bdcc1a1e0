"use strict";
// Node, CommonJS. The ES module entry (index.mjs) re-exports this one, so `import` and
// `require` share one wasm instance and one SezzleError class.
const { createApi } = require("../api.cjs");

module.exports = createApi(require("./sezzle_session.js"));
