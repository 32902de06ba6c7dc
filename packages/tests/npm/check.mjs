// The npm main package imported as an ES module: named and default exports, load(db)
// into better-sqlite3.  Environment as for check.cjs; prints "ok"/"FAIL" lines.
import Database from "better-sqlite3";
import tg, { getLoadablePath, getModelPath, load, version } from "sqlite-tg";

const { TG_VERSION, TG_FILMS } = process.env;
let failed = 0;
function check(name, ok) {
  console.log(`${ok ? "ok  " : "FAIL"} ${name}`);
  if (!ok) failed++;
}

check("ESM: named exports are the default export's",
  getLoadablePath === tg.getLoadablePath && getModelPath === tg.getModelPath && load === tg.load);
const db = new Database(TG_FILMS, { readonly: true });
load(db);
check("ESM: import, load(db), tg_version()",
  version === TG_VERSION && db.prepare("SELECT tg_version() AS v").get().v === TG_VERSION);
db.close();
process.exit(failed ? 1 : 0);
