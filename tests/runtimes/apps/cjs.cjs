// The package required as CommonJS (Node, Bun): as esm.mjs does.
const api = require("sezzle-session");

import("./checks.mjs")
  .then(({ checks }) => checks(api, JSON.parse(process.env.SEZZLE_INPUT)))
  .then((answer) => console.log(JSON.stringify(answer)));
