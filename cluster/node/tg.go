// tg inside the node: the extension's objects (build/libtg.a, compiled with -DSQLITE_CORE)
// are linked into this program and registered with sqlite3_auto_extension before the
// dqlite node opens any database, so every connection dqlite opens has tg's functions.
// libdqlite and tg both use the one shared libsqlite3 of the process.
//
// The registry schema is sql/registry.sql itself, embedded by sql/embed.sh into
// build/gen/schema_sql.h as tg-train embeds it, and the SQL of deploy and rollback is
// trainer/store/registry_verbs.h, the strings tg-train runs.  cluster/cluster.mk passes the include
// and library paths (CGO_CFLAGS, CGO_LDFLAGS) from the top Makefile's variables.
package main

/*
#cgo CFLAGS: -DSQLITE_CORE
#cgo LDFLAGS: -ltg -lsqlite3 -lm
#include <sqlite3.h>
#include "tg.h"
#include "schema_sql.h"
#include "registry_verbs.h"

static int tg_register(void) { return sqlite3_auto_extension((void (*)(void))sqlite3_tg_init); }
static const char *tg_schema(void) { return tg_registry_schema_sql; }
static const char *tg_sql_undeploy_others(void) { return TG_SQL_UNDEPLOY_OTHERS; }
static const char *tg_sql_deploy(void) { return TG_SQL_DEPLOY; }
static const char *tg_sql_log_deployment(void) { return TG_SQL_LOG_DEPLOYMENT; }
static const char *tg_sql_rollback_target(void) { return TG_SQL_ROLLBACK_TARGET; }
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

// registrySchema is sql/registry.sql: idempotent CREATE ... IF NOT EXISTS statements.
func registrySchema() string {
	return C.GoString(C.tg_schema())
}

// The SQL of deploy and rollback (trainer/store/registry_verbs.h).
var (
	sqlUndeployOthers = C.GoString(C.tg_sql_undeploy_others())
	sqlDeploy         = C.GoString(C.tg_sql_deploy())
	sqlLogDeployment  = C.GoString(C.tg_sql_log_deployment())
	sqlRollbackTarget = C.GoString(C.tg_sql_rollback_target())
)
