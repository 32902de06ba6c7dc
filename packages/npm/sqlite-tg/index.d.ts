/** A database whose driver can load SQLite extensions (better-sqlite3, libsql, node:sqlite). */
export interface LoadableDatabase {
  loadExtension(path: string): unknown;
}

/** The full path of tg.so (tg.dll on Windows), from the platform package (sqlite-tg-linux-x64, sqlite-tg-linux-arm64, sqlite-tg-win32-x64). */
export declare function getLoadablePath(): string;

/** The full path of the shipped model database, genre.db: ATTACH it, or open it. */
export declare function getModelPath(): string;

/** Loads tg into db with db.loadExtension(getLoadablePath()), no entry-point argument. */
export declare function load(db: LoadableDatabase): void;

/** This package's version, the same as tg_version() of the tg.so it loads. */
export declare const version: string;

declare const tg: {
  getLoadablePath: typeof getLoadablePath;
  getModelPath: typeof getModelPath;
  load: typeof load;
  version: typeof version;
};
export default tg;
