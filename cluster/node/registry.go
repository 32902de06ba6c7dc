// The registry verbs in the cluster: push, deploy, rollback.  The cluster's registry is
// sql/registry.sql's tg_models and tg_deployments, and the verbs change them as
// tg-train's do (trainer/store/registry.c): a deploy makes a model the one deployed row of its
// name and logs it in tg_deployments, all in one transaction; a rollback redeploys the
// model deployed before the current one, replaying the log as a stack.  The cluster test
// checks both against tg-train on the same sequence of deploys and rollbacks.
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

const (
	sqlUndeploy = "UPDATE tg_models SET deployed = 0 WHERE name = ?1 AND deployed = 1 AND id <> ?2"
	sqlDeploy   = "UPDATE tg_models SET deployed = 1 WHERE id = ?1"
	sqlLog      = "INSERT INTO tg_deployments (name, model_id, action) VALUES (?1, ?2, ?3)"
	sqlDeployed = "SELECT id FROM tg_models WHERE name = ?1 AND deployed = 1"

	// The log of a name, replayed as trainer/store/registry.c's tg_reg_rollback does: 'deploy'
	// pushes its model; 'rollback' pops down to its model, or pushes it when it is not on
	// the stack.  The target is the top once the current model (?2) is popped off.
	sqlRollbackTarget = `
WITH RECURSIVE
log(n, action, model_id) AS (
	SELECT row_number() OVER (ORDER BY d.id), d.action, d.model_id
	FROM tg_deployments AS d JOIN tg_models AS m ON m.id = d.model_id AND m.name = d.name
	WHERE d.name = ?1),
replay(n, stack) AS (
	SELECT 0, json_array()
	UNION ALL
	SELECT log.n, CASE
		WHEN log.action = 'rollback' AND EXISTS (SELECT 1 FROM json_each(replay.stack) WHERE value = log.model_id)
		THEN (SELECT json_group_array(value) FROM (SELECT value FROM json_each(replay.stack)
		      WHERE key <= (SELECT max(key) FROM json_each(replay.stack) WHERE value = log.model_id) ORDER BY key))
		ELSE json_insert(replay.stack, '$[#]', log.model_id) END
	FROM replay JOIN log ON log.n = replay.n + 1)
SELECT value FROM json_each((SELECT stack FROM replay ORDER BY n DESC LIMIT 1))
WHERE value <> ?2 ORDER BY key DESC LIMIT 1`
)

// setDeployed, inside tx: model id becomes the deployed model of name, logged as action.
func setDeployed(ctx context.Context, tx *sql.Tx, name string, id int64, action string) error {
	for _, q := range []struct {
		sql  string
		args []interface{}
	}{{sqlUndeploy, []interface{}{name, id}}, {sqlDeploy, []interface{}{id}}, {sqlLog, []interface{}{name, id, action}}} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("%s model %d: %w", action, id, err)
		}
	}
	return nil
}

// inTx runs fn in one transaction of the cluster database and commits it.
func inTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func cmdDeploy(args []string) error {
	o := newClientOptions("deploy")
	if err := o.parse(args); err != nil {
		return err
	}
	if o.fs.NArg() != 1 {
		return fmt.Errorf("usage: tg-node deploy [OPTIONS] ID")
	}
	id, err := strconv.ParseInt(o.fs.Arg(0), 10, 64)
	if err != nil {
		return fmt.Errorf("model id %q is not an integer", o.fs.Arg(0))
	}
	db, ctx, cancel, err := o.open()
	if err != nil {
		return err
	}
	defer cancel()
	defer db.Close()
	var name string
	err = inTx(ctx, db, func(tx *sql.Tx) error {
		var deployed int
		err := tx.QueryRowContext(ctx, "SELECT name, deployed FROM tg_models WHERE id = ?1", id).Scan(&name, &deployed)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no model with id %d in the cluster's tg_models", id)
		}
		if err != nil || deployed == 1 {
			return err
		}
		return setDeployed(ctx, tx, name, id, "deploy")
	})
	if err != nil {
		return err
	}
	fmt.Printf("deployed model %d ('%s')\n", id, name)
	return nil
}

func cmdRollback(args []string) error {
	o := newClientOptions("rollback")
	name := o.fs.String("name", "genre", "model name")
	if err := o.parse(args); err != nil {
		return err
	}
	db, ctx, cancel, err := o.open()
	if err != nil {
		return err
	}
	defer cancel()
	defer db.Close()
	var target int64
	err = inTx(ctx, db, func(tx *sql.Tx) error {
		var current int64
		if err := tx.QueryRowContext(ctx, sqlDeployed, *name).Scan(&current); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err := tx.QueryRowContext(ctx, sqlRollbackTarget, *name, current).Scan(&target)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no earlier deployment to roll back to for model name '%s'", *name)
		}
		if err != nil {
			return err
		}
		return setDeployed(ctx, tx, *name, target, "rollback")
	})
	if err != nil {
		return err
	}
	fmt.Printf("rolled back to model %d ('%s')\n", target, *name)
	return nil
}
