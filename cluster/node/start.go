// tg-node start: one node of the cluster, serving SQL with tg's functions.
//
// The first node of a cluster starts without --join; the others join through any node
// already in it.  go-dqlite's app promotes nodes to voters (3), stand-bys and spares,
// moves leadership when the leader dies, and with --tls-* talks TLS (mutual, the
// certificates checked against the CA) to clients and to the other nodes.  The node keeps
// its identity and data in --dir: restart it with the same --dir and --address and it
// catches up from the others.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/canonical/go-dqlite/app"
	"github.com/canonical/go-dqlite/client"
)

func cmdStart(args []string) error {
	fs := flag.NewFlagSet("tg-node start", flag.ContinueOnError)
	dir := fs.String("dir", "", "the node's data directory (created if missing)")
	address := fs.String("address", "", "HOST:PORT this node listens on and the others reach it at")
	join := fs.String("join", "", "comma-separated addresses of nodes already in the cluster (first start only)")
	verbose := fs.Bool("verbose", false, "log dqlite's informational messages too")
	latency := fs.Duration("network-latency", 0, "average one-way latency between nodes; dqlite derives its heartbeat and election timeouts from it (0: dqlite's default)")
	var t tlsFiles
	t.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *address == "" {
		return fmt.Errorf("--dir and --address are required (the address is never guessed)")
	}
	if err := os.MkdirAll(*dir, 0o750); err != nil {
		return err
	}
	listen, dial, err := t.configs()
	if err != nil {
		return err
	}
	if err := registerTg(); err != nil {
		return err
	}
	level := client.LogWarn
	if *verbose {
		level = client.LogInfo
	}
	opts := []app.Option{
		app.WithAddress(*address),
		app.WithLogFunc(func(l client.LogLevel, format string, a ...interface{}) {
			if l >= level {
				fmt.Fprintf(os.Stderr, "tg-node %s: %s: %s\n", *address, l, fmt.Sprintf(format, a...))
			}
		}),
	}
	if *latency > 0 {
		opts = append(opts, app.WithNetworkLatency(*latency))
	}
	if *join != "" {
		opts = append(opts, app.WithCluster(splitList(*join)))
	}
	if listen != nil {
		opts = append(opts, app.WithTLS(listen, dial))
	}
	node, err := app.New(*dir, opts...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := node.Ready(ctx); err != nil {
		node.Close()
		return fmt.Errorf("not ready after a minute: %w", err)
	}
	fmt.Printf("tg-node: node %d at %s ready (tls %v)\n", node.ID(), node.Address(), listen != nil)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	hctx, hcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer hcancel()
	if err := node.Handover(hctx); err != nil {
		fmt.Fprintf(os.Stderr, "tg-node %s: handover: %v\n", *address, err)
	}
	return node.Close()
}
