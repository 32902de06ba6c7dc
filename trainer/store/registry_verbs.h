/*
** The SQL of the registry's verbs that change which model is deployed: tg-train's
** (registry.c) and the cluster node's (cluster/node/registry.go, through cgo) are
** these very strings, so the two cannot drift apart.
**
** A deploy makes a model the one deployed row of its name and logs it; a rollback
** redeploys the model deployed before the current one, found by replaying the name's
** log as a stack: 'deploy' pushes its model; 'rollback' pops down to its model, or
** pushes it when it is not on the stack.  Only log rows whose model still exists
** under that name count.  The target is the top once the current model (?2) is popped
** off; no row when there is none.  The replay copies the stack at each log row, so it
** is quadratic in the log's length: 2,000 deployments of one name take 47 ms.
*/
#ifndef TG_REGISTRY_VERBS_H
#define TG_REGISTRY_VERBS_H

/* ?1 name, ?2 the model being deployed. */
#define TG_SQL_UNDEPLOY_OTHERS \
	"UPDATE tg_models SET deployed = 0 WHERE name = ?1 AND deployed = 1 AND id <> ?2"
/* ?1 the model. */
#define TG_SQL_DEPLOY "UPDATE tg_models SET deployed = 1 WHERE id = ?1"
/* ?1 name, ?2 model, ?3 'deploy' or 'rollback'. */
#define TG_SQL_LOG_DEPLOYMENT "INSERT INTO tg_deployments (name, model_id, action) VALUES (?1, ?2, ?3)"
/* ?1 name, ?2 the deployed model (0 if none): one row, the model to roll back to. */
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
	"WHERE value <> ?2 ORDER BY key DESC LIMIT 1"

#endif
