// The npm packages as a CommonJS user meets them, run in a fresh project where both
// tarballs were installed: paths, load(db) into better-sqlite3 and libsql, tagging.
// Environment: TG_VERSION, TG_FILMS (a user's database of films, no model in it),
// TG_EXPECTED ("title|genre" lines, as the sqlite3 shell tags them with the model
// attached), TG_SQLITE_BUILT (the SQLite version tg was compiled against).  Prints "ok"/"FAIL" lines; exit 1 on a failure.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const tg = require("sqlite-tg");

const { TG_VERSION, TG_FILMS, TG_EXPECTED, TG_SQLITE_BUILT } = process.env;
const expected = fs.readFileSync(TG_EXPECTED, "utf8").trim();
let failed = 0;
function check(name, ok) {
  console.log(`${ok ? "ok  " : "FAIL"} ${name}`);
  if (!ok) failed++;
}
function attempt(fn) {
  try {
    return fn();
  } catch (e) {
    return e;
  }
}
// A driver's version, from its folder's package.json (libsql exports no ./package.json).
function versionOf(name) {
  const main = require.resolve(name), dir = `/node_modules/${name}`;
  return JSON.parse(fs.readFileSync(`${main.slice(0, main.lastIndexOf(dir) + dir.length)}/package.json`)).version;
}
// The films tagged with the shipped model attached, "title|genre" lines.
function tagged(db) {
  db.prepare("ATTACH ? AS tgm").run(tg.getModelPath());
  return db.prepare("SELECT title, tg_predict(overview) AS genre FROM films ORDER BY title").all()
    .map((r) => `${r.title}|${r.genre}`).join("\n");
}
// tg_debug()'s lines name tg's version, the SQLite it was built against and the one the
// driver runs it on (better-sqlite3 and libsql bring their own).
function debugChecked(db, driver) {
  const { d, v } = db.prepare("SELECT tg_debug() AS d, sqlite_version() AS v").get();
  const lines = d.split("\n");
  check(`${driver}: tg_debug() says tg ${TG_VERSION}, built against SQLite ${TG_SQLITE_BUILT}, running on ${v}`,
    lines[0] === `tg ${TG_VERSION}` && lines.includes(`sqlite built against: ${TG_SQLITE_BUILT}`) &&
    lines.includes(`sqlite running: ${v}`));
}

const so = tg.getLoadablePath();
check(`getLoadablePath() is tg.so in the platform package (${so})`,
  so === path.resolve("node_modules/sqlite-tg-linux-x64/tg.so") && fs.existsSync(so));
const model = tg.getModelPath();
check(`getModelPath() is the shipped genre.db (${model})`,
  model === path.resolve("node_modules/sqlite-tg/genre.db") && fs.statSync(model).size > 0);
check(`version is ${TG_VERSION}`, tg.version === TG_VERSION);

// better-sqlite3
const Database = require("better-sqlite3");
const bdb = new Database(TG_FILMS, { readonly: true });
const args = [];
const spy = { loadExtension: (...a) => { args.push(a); bdb.loadExtension(...a); } };
tg.load(spy);
check("load(db) passes the path alone (without .so, for SQLite to add), no entry-point argument",
  args.length === 1 && args[0].length === 1 && args[0][0] === so.replace(/\.so$/, ""));
check(`better-sqlite3 ${versionOf("better-sqlite3")}: tg_version() after load(db)`,
  bdb.prepare("SELECT tg_version() AS v").get().v === TG_VERSION);
debugChecked(bdb, "better-sqlite3");
check("better-sqlite3 tags the films with getModelPath() attached, as the sqlite3 shell does",
  tagged(bdb) === expected);
bdb.close();

// libsql: loadExtension(path) only, since an entry-point argument aborts the process
const Libsql = require("libsql");
const ldb = new Libsql(TG_FILMS, { readonly: true });
const e = attempt(() => tg.load(ldb));
check(`libsql ${versionOf("libsql")}: load(db)${e ? `: ${e.message}` : ""}`, !e);
check("libsql: tg_version()", !e && ldb.prepare("SELECT tg_version() AS v").get().v === TG_VERSION);
if (!e) debugChecked(ldb, "libsql");
check("libsql tags the films with getModelPath() attached, as the sqlite3 shell does",
  !e && tagged(ldb) === expected);
ldb.close();

const bad = attempt(() => tg.load({}));
check("load() of something without loadExtension: a plain error",
  bad instanceof Error && /^sqlite-tg: load\(db\): db has no loadExtension\(\) method/.test(bad.message));

process.exit(failed ? 1 : 0);
