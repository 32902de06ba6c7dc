// sqlite-tg: where tg.so and the shipped genre model are, and load(db) for any driver
// whose Database has loadExtension(path) (better-sqlite3, libsql, node:sqlite).
//
// tg.so (tg.dll on Windows) is machine code, so it comes in a platform package
// (sqlite-tg-linux-x64, sqlite-tg-linux-arm64, sqlite-tg-win32-x64) that npm installs
// as an optional dependency only where its os/cpu/libc fields match; this package
// finds it with require.resolve.  The model is the same on every machine and
// ships here.  Every failure names the file or package that is missing and what to
// install, because the driver's own message ("cannot open shared object file") does not.
"use strict";
const { dirname, join } = require("node:path");
const { existsSync } = require("node:fs");
const { version } = require("./package.json");

// process.platform-process.arch: the platform package and its library's file name.
const PLATFORMS = {
  "linux-x64": ["sqlite-tg-linux-x64", "tg.so"],
  "linux-arm64": ["sqlite-tg-linux-arm64", "tg.so"],
  "win32-x64": ["sqlite-tg-win32-x64", "tg.dll"],
};
const BUNDLER_HINT =
  "If you bundle your code (esbuild, webpack, Next.js), keep sqlite-tg and its platform " +
  "package external, so that their files stay in node_modules.";

function fail(message) {
  throw new Error(`sqlite-tg: ${message}`);
}

// require.resolve(request), or an error naming what is missing and what to install.
function resolve(request, missing, pkg) {
  try {
    return require.resolve(request);
  } catch {
    fail(`${missing} Install it: npm install ${pkg}@${version}. ${BUNDLER_HINT}`);
  }
}

// A path that a lookup gave, checked: a bundler may have turned require.resolve into a
// module id, or the path into one inside its output, where the file is not.
function existingFile(path, what, pkg) {
  if (typeof path !== "string") {
    fail(`${what}: the lookup gave ${typeof path} ${String(path)} instead of a file path, ` +
         `so a bundler rewrote it. ${BUNDLER_HINT}`);
  }
  if (!existsSync(path)) {
    fail(`${what} is missing: no file ${path}. Reinstall ${pkg}: npm install ${pkg}@${version}. ` +
         BUNDLER_HINT);
  }
  return path;
}

// [package, file] for this process's platform, read at each call.
function platformPackage() {
  const key = `${process.platform}-${process.arch}`;
  if (!Object.hasOwn(PLATFORMS, key)) {
    fail(`no tg library for ${key} (this package ships one for ${Object.keys(PLATFORMS).join(", ")}); ` +
         "build tg from source (make tg.so) and give its path to db.loadExtension()");
  }
  return PLATFORMS[key];
}

/** The full path of the loadable extension: tg.so, or tg.dll on Windows. */
function getLoadablePath() {
  const [name, file] = platformPackage();
  const manifest = existingFile(resolve(`${name}/package.json`,
    `the platform package ${name}, which holds ${file}, is not installed (npm leaves optional ` +
    "dependencies out with --omit=optional, and a lockfile made on another platform may lack it).",
    name), `${name}/package.json`, name);
  return existingFile(join(dirname(manifest), file), `${file} (of ${name})`, name);
}

/** The full path of the shipped model database (genre.db): ATTACH it, or open it. */
function getModelPath() {
  const path = resolve("sqlite-tg/genre.db", "sqlite-tg's model genre.db cannot be found.", "sqlite-tg");
  return existingFile(path, "the shipped model genre.db", "sqlite-tg");
}

/** Loads tg into db, a better-sqlite3, libsql or node:sqlite Database. */
function load(db) {
  if (!db || typeof db.loadExtension !== "function") {
    fail("load(db): db has no loadExtension() method; pass a better-sqlite3, libsql or " +
         "node:sqlite Database, or give getLoadablePath() to your driver's own loader");
  }
  // The path alone: SQLite derives the entry point (sqlite3_tg_init) from the file name,
  // and libsql aborts the process when it is given an entry-point argument.  Without
  // ".so": SQLite tries the name as given, then with ".so", and reports the last failure,
  // so a damaged tg.so is reported as itself, not as "tg.so.so: cannot open".
  db.loadExtension(getLoadablePath().replace(/\.so$/, ""));
}

module.exports = { getLoadablePath, getModelPath, load, version };
