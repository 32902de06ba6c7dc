// tg-node: a dqlite node with tg inside, and the commands to feed and query its cluster.
//
//	tg-node start    --dir DIR --address HOST:PORT [--join HOST:PORT,...] [TLS]
//	tg-node push     --cluster HOST:PORT,... [TLS] --from LOCAL.db [--name N] [--id ID] [--films] [--deploy]
//	tg-node deploy   --cluster ... [TLS] ID
//	tg-node rollback --cluster ... [TLS] [--name N]
//	tg-node query    --cluster ... [TLS] [--timeout D] [SQL...]   (no SQL: one statement per stdin line)
//	tg-node leader   --cluster ... [TLS] [--transfer HOST:PORT]
//	TLS: --tls-cert FILE --tls-key FILE [--tls-ca FILE]   (CA: the certificate itself by default)
//
// Go only because dqlite's client is Go: the node is go-dqlite's app package (joining,
// roles, failover, TLS between nodes) plus tg registered in-process (tg.go); the other
// commands are clients that send SQL to the cluster's leader.  The registry is
// registry/registry.sql's, in the cluster database (default name "tg").
package main

import (
	"fmt"
	"os"
)

var commands = map[string]func(args []string) error{
	"start":    cmdStart,
	"push":     cmdPush,
	"deploy":   cmdDeploy,
	"rollback": cmdRollback,
	"query":    cmdQuery,
	"leader":   cmdLeader,
}

const usage = `usage: tg-node COMMAND [OPTIONS]
  start     run a node (until SIGTERM/SIGINT)
  push      copy a model (and with --films, table movies) from a local tg database into the cluster
  deploy    deploy model ID in the cluster
  rollback  redeploy the previously deployed model
  query     run SQL on the cluster (tg's functions included) and print the rows
  leader    print the leader's address; --transfer moves leadership first
tg-node COMMAND -h lists the command's options.
`

func main() {
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if err := commands[os.Args[1]](os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "tg-node %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
