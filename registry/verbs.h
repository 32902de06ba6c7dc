/*
** The SQL of the registry's verbs that change which model is deployed.  tg-train
** (trainer/store/registry.c) and the cluster node (cluster/node/registry.go, through
** cgo) both run these very steps, in this order, so the two cannot drift apart.
**
** A deploy makes a model the one deployed row of its name and logs it: the steps of
** tg_sql_deploy_steps, in one transaction.  A rollback runs TG_SQL_ROLLBACK_TARGET and
** deploys the model it returns, logged as 'rollback'.  The target is the model deployed
** before the current one, found by replaying the name's log as a stack: 'deploy' pushes
** its model; 'rollback' pops down to its model, or pushes it when it is not on the
** stack.  Only log rows whose model still exists under that name count.  The target is
** the top once the current model is popped off; no row when there is none.  The replay
** copies the stack at each log row, so it is quadratic in the log's length: 2,000
** deployments of one name take 47 ms.
*/
#ifndef TG_REGISTRY_VERBS_H
#define TG_REGISTRY_VERBS_H

/*
** One statement of a verb and the parameters it binds, one letter each, in order
** (?1, ?2, ...): 'n' the model name, 'i' the model's id, 'a' the action ('deploy' or
** 'rollback').
*/
typedef struct tg_sql_step {
	const char *sql;
	const char *params;
} tg_sql_step;

/* Deploys model i of name n, logged as action a; ends with a { NULL, NULL } step. */
static const tg_sql_step tg_sql_deploy_steps[] = {
	{ "UPDATE tg_models SET deployed = 0 WHERE name = ?1 AND deployed = 1 AND id <> ?2", "ni" },
	{ "UPDATE tg_models SET deployed = 1 WHERE id = ?1", "i" },
	{ "INSERT INTO tg_deployments (name, model_id, action) VALUES (?1, ?2, ?3)", "nia" },
	{ 0, 0 },
};

/* ?1 name: one row, the model to roll back to (none: nothing to roll back to). */
#define TG_SQL_ROLLBACK_TARGET                                                                                \
	"WITH RECURSIVE\n"                                                                                    \
	"log(n, action, model_id) AS (\n"                                                                     \
	"  SELECT row_number() OVER (ORDER BY d.id), d.action, d.model_id\n"                                  \
	"  FROM tg_deployments AS d JOIN tg_models AS m ON m.id = d.model_id AND m.name = d.name\n"          \
	"  WHERE d.name = ?1),\n"                                                                             \
	"replay(n, stack) AS (\n"                                                                             \
	"  SELECT 0, json_array()\n"                                                                          \
	"  UNION ALL\n"                                                                                       \
	"  SELECT log.n, CASE\n"                                                                              \
	"    WHEN log.action = 'rollback' AND EXISTS (SELECT 1 FROM json_each(replay.stack) WHERE value = log.model_id)\n" \
	"    THEN (SELECT json_group_array(value) FROM (SELECT value FROM json_each(replay.stack)\n"          \
	"          WHERE key <= (SELECT max(key) FROM json_each(replay.stack) WHERE value = log.model_id) ORDER BY key))\n" \
	"    ELSE json_insert(replay.stack, '$[#]', log.model_id) END\n"                                     \
	"  FROM replay JOIN log ON log.n = replay.n + 1)\n"                                                  \
	"SELECT value FROM json_each((SELECT stack FROM replay ORDER BY n DESC LIMIT 1))\n"                  \
	"WHERE value <> coalesce((SELECT id FROM tg_models WHERE name = ?1 AND deployed = 1), 0)\n"          \
	"ORDER BY key DESC LIMIT 1"

#endif
