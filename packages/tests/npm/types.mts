// index.d.ts, type-checked (tsc --noEmit --strict) as a TypeScript user would call it.
import Database from "better-sqlite3";
import tg, { getLoadablePath, getModelPath, load, version } from "sqlite-tg";

const db = new Database(":memory:");
load(db);
tg.load(db);
db.exec(`ATTACH '${getModelPath()}' AS tgm`);
const where: string = getLoadablePath();
const v: string = version;
console.log(where, v);
