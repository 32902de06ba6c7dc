// Tag rows from Node with better-sqlite3 and tg.so.
//
//   node tag.js DB                 the first films of DB's test split: title, genre, tags
//   node tag.js DB 'some text'...  those texts instead
//
// TG_EXT overrides the extension's path (default: tg.so at the top of the project).
// TG_MODEL_DB=models/genre.db: DB is a database of your own with a table films(title,
// overview) and no model; the model database is attached read-only and tags it.
'use strict';
const path = require('node:path');
const Database = require('better-sqlite3');

const [dbPath, ...texts] = process.argv.slice(2);
if (!dbPath) {
  console.error('usage: node tag.js DB [TEXT...]');
  process.exit(2);
}
try {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  // Without ".so", as server.js: a damaged tg.so is then reported as itself, not as tg.so.so.
  db.loadExtension((process.env.TG_EXT ?? path.join(__dirname, '..', '..', 'tg.so')).replace(/\.so$/, ''));
  const modelDb = process.env.TG_MODEL_DB;
  if (modelDb) db.prepare('ATTACH ? AS tgm').run(modelDb); // read-only, as the connection is
  const one = db.prepare('SELECT @text AS title, tg_predict(@text) AS genre, tg_tags(@text) AS tags');
  const rows = texts.length
    ? texts.map((text) => one.get({ text }))
    // tg_text: what the model reads (title and overview for the shipped model).
    : db.prepare(`SELECT title, tg_predict(tg_text(title, overview)) AS genre,
                         tg_tags(tg_text(title, overview)) AS tags FROM (${modelDb
        ? "SELECT title, overview FROM films WHERE trim(overview) <> '' ORDER BY rowid LIMIT 5"
        : "SELECT title, overview FROM movies WHERE split = 'test' AND trim(overview) <> '' ORDER BY id LIMIT 5"})`).all();
  // A text without a single word has no genre (NULL).
  for (const row of rows)
    console.log(`${row.title}\t${row.genre ?? '-'}\t${(JSON.parse(row.tags) ?? []).join(', ')}`);
  db.close();
} catch (e) {
  console.error(`tag.js: ${dbPath}: ${e.message}`);
  process.exit(1);
}
