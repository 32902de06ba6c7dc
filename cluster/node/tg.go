// tg inside the node: the extension's objects (build/libtg.a, compiled with -DSQLITE_CORE)
// are linked into this program and registered with sqlite3_auto_extension before the
// dqlite node opens any database, so every connection dqlite opens has tg's functions.
// libdqlite and tg both use the one shared libsqlite3 of the process.
//
// The registry contract is registry/, as tg-train's: the schema is registry/registry.sql
// itself, embedded by registry/embed.sh into build/gen/schema_sql.h, and deploy and
// rollback are the steps and the query of registry/verbs.h.  cluster/cluster.mk passes
// the include and library paths (CGO_CFLAGS, CGO_LDFLAGS) from the top Makefile's
// variables.
package main

/*
#cgo CFLAGS: -DSQLITE_CORE
#cgo LDFLAGS: -ltg -lsqlite3 -lm
#include <sqlite3.h>
#include "tg.h"
#include "schema_sql.h"
#include "verbs.h"

static int tg_register(void) { return sqlite3_auto_extension((void (*)(void))sqlite3_tg_init); }
static const char *tg_schema(void) { return tg_registry_schema_sql; }
static const char *tg_sql_rollback_target(void) { return TG_SQL_ROLLBACK_TARGET; }
static const char *tg_deploy_step_sql(int i) { return tg_sql_deploy_steps[i].sql; }
static const char *tg_deploy_step_params(int i) { return tg_sql_deploy_steps[i].params; }
*/
import "C"

import "fmt"

// registerTg makes tg's SQL functions part of every SQLite connection opened from now on.
func registerTg() error {
	if rc := C.tg_register(); rc != C.SQLITE_OK {
		return fmt.Errorf("sqlite3_auto_extension(sqlite3_tg_init) failed with code %d", int(rc))
	}
	return nil
}

// registrySchema is registry/registry.sql: idempotent CREATE ... IF NOT EXISTS statements.
func registrySchema() string {
	return C.GoString(C.tg_schema())
}

// sqlStep is one statement of a verb and the parameters it binds, one letter each:
// 'n' the name, 'i' the model's id, 'a' the action (registry/verbs.h).
type sqlStep struct {
	sql    string
	params string
}

// The SQL of deploy and rollback (registry/verbs.h).
var (
	deploySteps       = readDeploySteps()
	sqlRollbackTarget = C.GoString(C.tg_sql_rollback_target())
)

func readDeploySteps() []sqlStep {
	var steps []sqlStep
	for i := C.int(0); C.tg_deploy_step_sql(i) != nil; i++ {
		steps = append(steps, sqlStep{C.GoString(C.tg_deploy_step_sql(i)), C.GoString(C.tg_deploy_step_params(i))})
	}
	return steps
}
