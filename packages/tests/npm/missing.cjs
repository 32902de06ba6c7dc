// What a user sees when tg.so cannot be found: prints the error of getLoadablePath(),
// and of load(db) with better-sqlite3 (which must fail the same way, not crash).
"use strict";
const tg = require("sqlite-tg");
const Database = require("better-sqlite3");
for (const call of [() => tg.getLoadablePath(), () => tg.load(new Database(":memory:"))]) {
  try {
    console.log(`no error: ${call()}`);
  } catch (e) {
    console.log(e.message);
  }
}
