// Preloaded with node --require: makes the platform package resolve as a bundler's
// output would, so that the error sqlite-tg gives can be checked.  TG_REWRITE=id gives
// a module id (as webpack turns require.resolve into), TG_REWRITE=path a path inside a
// dist/ folder where the package's files are not (as when code moved into a bundle).
"use strict";
const Module = require("node:module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request !== "sqlite-tg-linux-x64/package.json") return resolve.call(this, request, ...rest);
  return process.env.TG_REWRITE === "id" ? 42
    : `${process.cwd()}/dist/node_modules/sqlite-tg-linux-x64/package.json`;
};
