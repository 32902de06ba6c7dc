/*
** The SQL with which the extension (ext/sql/registry_lookup.c, model_read.c and
** fn_model.c) reads the registry that registry.sql defines.  Each is a format for
** sqlite3_mprintf: %w is the schema searched, double-quoted, since tg looks for the
** registry in temp, main and every attached database.
**
** The deployed row of a name is one probe of the partial unique index
** tg_models_one_deployed: "deployed = 1" matches the index's WHERE clause.
*/
#ifndef TG_REGISTRY_LOOKUPS_H
#define TG_REGISTRY_LOOKUPS_H

/* A row when the schema has a table or view tg_models, whatever its case. */
#define TG_SQL_HAS_REGISTRY \
	"SELECT 1 FROM \"%w\".sqlite_master WHERE type IN ('table', 'view') AND name = 'tg_models' COLLATE NOCASE"

/* ?1 name: the deployed row, where its blob is (rowid) and whether it is one. */
#define TG_SQL_DEPLOYED_ROW                                                                 \
	"SELECT id, rowid, typeof(model) IN ('blob', 'text'), length(model) FROM \"%w\".tg_models" \
	" WHERE name = ?1 AND deployed = 1"
/* The same for a view or a WITHOUT ROWID table, which have no rowid. */
#define TG_SQL_DEPLOYED_ROW_NO_ROWID                                                       \
	"SELECT id, NULL, typeof(model) IN ('blob', 'text'), length(model) FROM \"%w\".tg_models" \
	" WHERE name = ?1 AND deployed = 1"

/* ?1 name: how many models of the name, and the newest's id (for the messages). */
#define TG_SQL_MODELS_OF_NAME "SELECT count(*), max(id) FROM \"%w\".tg_models WHERE name = ?1"

/* The 8 bytes of the blob header's checksum (ext/FORMAT.md: bytes 48 to 55); %s is
** "rowid = ?1" or "id = ?1 AND deployed = 1". */
#define TG_SQL_BLOB_CHECKSUM "SELECT substr(CAST(model AS BLOB), 49, 8) FROM \"%w\".tg_models WHERE %s"

/* ?1 id: the deployed model's blob, read as a value. */
#define TG_SQL_DEPLOYED_BLOB "SELECT model FROM \"%w\".tg_models WHERE id = ?1 AND deployed = 1"

/* ?1 id: tg_model()'s document.  SQLite's json_object() writes it from the row's
** columns and what only the loaded model knows, bound as parameters: ?2 name, ?3
** schema, ?4 labels and ?5 thresholds (JSON text), ?6 n_features, ?7 blob_bytes. */
#define TG_SQL_MODEL_METADATA                                                                  \
	"SELECT json_object('id', id, 'name', ?2, 'schema', ?3, 'created_at', created_at,"     \
	" 'format', format, 'labels', json(?4), 'thresholds', json(?5), 'metrics', json(metrics)," \
	" 'params', json(params), 'n_features', ?6, 'blob_bytes', ?7, 'data_sha256', data_sha256)" \
	" FROM \"%w\".tg_models WHERE id = ?1"

#endif
