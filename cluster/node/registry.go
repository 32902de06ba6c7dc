// The registry verbs in the cluster: push, deploy, rollback.  The cluster's registry is
// registry/registry.sql's tg_models and tg_deployments, and deploy and rollback are
// tg-train's own steps (registry/verbs.h, see tg.go): a deploy makes a model the one
// deployed row of its name and logs it in tg_deployments, all in one transaction; a
// rollback deploys the model that the log, replayed as a stack, had before the current
// one.  The cluster test checks both against tg-train on the same sequence of deploys
// and rollbacks.
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

const sqlDeployed = "SELECT id FROM tg_models WHERE name = ?1 AND deployed = 1"

// setDeployed, inside tx: model id becomes the deployed model of name, logged as action.
func setDeployed(ctx context.Context, tx *sql.Tx, name string, id int64, action string) error {
	for _, step := range deploySteps {
		var args []interface{}
		for _, p := range step.params {
			switch p {
			case 'n':
				args = append(args, name)
			case 'i':
				args = append(args, id)
			case 'a':
				args = append(args, action)
			}
		}
		if _, err := tx.ExecContext(ctx, step.sql, args...); err != nil {
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
	id, err := parseModelID(o.fs.Arg(0))
	if err != nil {
		return err
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
		err := tx.QueryRowContext(ctx, sqlRollbackTarget, *name).Scan(&target)
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
