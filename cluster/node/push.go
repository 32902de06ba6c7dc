// tg-node push: a model from a local tg database (as tg-train wrote it) into the
// cluster's registry, and with --films the local table movies too, in one transaction.
// A model already in the cluster (same name, data, parameters and blob) is not copied
// again; its cluster id is printed all the same.  The model keeps its name, creation
// time and metadata, and gets a new id in the cluster.
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the local database (go-dqlite links it already)
)

type model struct {
	name, createdAt, params, metrics, sha string
	format                                int64
	blob                                  []byte
}

const modelColumns = "name, created_at, format, params, metrics, data_sha256, model"

func cmdPush(args []string) error {
	o := newClientOptions("push")
	from := o.fs.String("from", "", "the local tg database to read (opened read-only)")
	name := o.fs.String("name", "genre", "push the deployed model of this name")
	var id modelID
	o.fs.Var(&id, "id", "push this model id instead")
	films := o.fs.Bool("films", false, "also copy table movies (replacing the cluster's)")
	deploy := o.fs.Bool("deploy", false, "deploy the model in the cluster")
	if err := o.parse(args); err != nil {
		return err
	}
	if *from == "" {
		return fmt.Errorf("--from LOCAL.db is required")
	}
	if _, err := os.Stat(*from); err != nil {
		return err
	}
	uri, err := readOnlyURI(*from)
	if err != nil {
		return err
	}
	local, err := sql.Open("sqlite3", uri)
	if err != nil {
		return err
	}
	defer local.Close()
	m, err := readModel(local, *name, int64(id))
	if err != nil {
		return fmt.Errorf("%s: %w", *from, err)
	}

	db, ctx, cancel, err := o.open()
	if err != nil {
		return err
	}
	defer cancel()
	defer db.Close()
	if _, err := db.ExecContext(ctx, registrySchema()); err != nil {
		return fmt.Errorf("creating the registry in the cluster: %w", err)
	}
	var cid int64
	var rows int
	err = inTx(ctx, db, func(tx *sql.Tx) error {
		if cid, err = storeModel(ctx, tx, m); err != nil {
			return err
		}
		if *deploy {
			var cur int64
			err := tx.QueryRowContext(ctx, sqlDeployed, m.name).Scan(&cur)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && cur != cid) {
				err = setDeployed(ctx, tx, m.name, cid, "deploy")
			}
			if err != nil {
				return err
			}
		}
		if *films {
			rows, err = copyFilms(ctx, local, tx)
		}
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("model %d ('%s') in the cluster", cid, m.name)
	if *deploy {
		fmt.Print(", deployed")
	}
	if *films {
		fmt.Printf("; %d films in table movies", rows)
	}
	fmt.Println()
	return nil
}

// readOnlyURI is the SQLite URI that opens path read-only (never creating it): the
// absolute path percent-encoded, so that a '?', '#' or '%' in it stays part of the file
// name instead of starting the URI's query or fragment or being decoded.
func readOnlyURI(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return (&url.URL{Scheme: "file", Path: abs, RawQuery: "mode=ro"}).String(), nil
}

func readModel(local *sql.DB, name string, id int64) (model, error) {
	var m model
	q, arg := "SELECT "+modelColumns+" FROM tg_models WHERE name = ?1 AND deployed = 1", interface{}(name)
	what := fmt.Sprintf("no deployed model named '%s'", name)
	if id != 0 {
		q, arg, what = "SELECT "+modelColumns+" FROM tg_models WHERE id = ?1", id, fmt.Sprintf("no model with id %d", id)
	}
	err := local.QueryRow(q, arg).Scan(&m.name, &m.createdAt, &m.format, &m.params, &m.metrics, &m.sha, &m.blob)
	if errors.Is(err, sql.ErrNoRows) {
		return m, errors.New(what)
	}
	return m, err
}

// storeModel returns the cluster id of m, inserting it (undeployed) unless it is there.
func storeModel(ctx context.Context, tx *sql.Tx, m model) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM tg_models WHERE name = ?1 AND data_sha256 = ?2 AND params = ?3"+
		" AND format = ?4 AND model = ?5", m.name, m.sha, m.params, m.format, m.blob).Scan(&id)
	if !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO tg_models ("+modelColumns+") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		m.name, m.createdAt, m.format, m.params, m.metrics, m.sha, m.blob)
	if err != nil {
		return 0, fmt.Errorf("storing the model: %w", err)
	}
	return res.LastInsertId()
}

// copyFilms replaces the cluster's table movies with the local one: same CREATE
// statement, same rows and rowids, as many rows per statement as dqlite's limit of 255
// parameters allows.
const maxParams = 255

func copyFilms(ctx context.Context, local *sql.DB, tx *sql.Tx) (int, error) {
	var create string
	if err := local.QueryRow("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'movies'").Scan(&create); err != nil {
		return 0, fmt.Errorf("reading the local table movies: %w", err)
	}
	for _, q := range []string{"DROP TABLE IF EXISTS movies", create} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("creating table movies in the cluster: %w", err)
		}
	}
	rows, err := local.Query("SELECT rowid, * FROM movies ORDER BY rowid")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	cols[0] = "rowid"
	n, batch := 0, []interface{}{}
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		tuple := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
		k := len(batch) / len(cols)
		q := "INSERT INTO movies (" + quoteIdents(cols) + ") VALUES " + tuple + strings.Repeat(", "+tuple, k-1)
		if _, err := tx.ExecContext(ctx, q, batch...); err != nil {
			return fmt.Errorf("copying films: %w", err)
		}
		n += k
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		vals := make([]interface{}, len(cols))
		ptrs := make([]interface{}, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return 0, err
		}
		batch = append(batch, vals...)
		if len(batch)+len(cols) > maxParams {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return n, flush()
}

func quoteIdents(names []string) string {
	q := make([]string, len(names))
	for i, s := range names {
		q[i] = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return strings.Join(q, ", ")
}
