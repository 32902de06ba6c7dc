/*
** Writes the trainer's films into a table `movies` of the registry database, so the
** extension and SQL users see exactly the data and split a model was trained on:
**
**   movies(id INTEGER, title TEXT, overview TEXT,
**          genres TEXT       -- JSON array of genre names, e.g. ["Drama","Comedy"]
**          release_date TEXT, original_language TEXT,
**          split TEXT        -- 'train' | 'validation' | 'test', see tg_split_of in dataset.h)
**
** Duplicate ids in the input are all kept (id is not a key: the table mirrors the input
** row for row, and the trainer trains on every row).  Strings are stored as given
** ("" stays ""); a NULL string pointer becomes SQL NULL.
**
** Each call replaces the table's content: CREATE TABLE IF NOT EXISTS, then DELETE and the
** INSERTs, atomically.  It follows registry.h's transaction convention: in autocommit
** mode it runs in its own BEGIN IMMEDIATE ... COMMIT; inside the caller's transaction it
** uses a SAVEPOINT, so writing the movies and storing the model (tg_reg_store) can be one
** commit.  On error the table is as it was.  Indexes and triggers a user put on `movies`
** are kept; a pre-existing `movies` table without these columns makes the call fail
** (before anything is deleted).
*/
#ifndef TG_MOVIES_TABLE_H
#define TG_MOVIES_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "movie.h"

/* Same return codes and error convention as registry.h (TG_REG_*). */
int tg_movies_table_write(sqlite3 *db, const tg_movie *movies, size_t n, char *err, size_t errlen);


/*
** The JSON array of a film's genres, e.g. ["Drama","Comedy"]; "[]" when it has none.
** Quotes, backslashes and control characters are escaped; other bytes (UTF-8) are copied.
** Returns a malloc'd string (free()), NULL when out of memory; *len (may be NULL) = length.
*/
char *tg_movie_genres_json(const tg_movie *m, size_t *len);

#endif
