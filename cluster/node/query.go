// tg-node query: SQL on the cluster, answered by the leader with tg's functions; the
// rows are printed as the sqlite3 shell prints them by default (columns separated by
// '|', NULL as nothing).  Statements given as arguments, or with none, one per line of
// standard input, all on one connection: so a script can check that a deploy made
// between two of its statements is seen by the second (the connection's next statement).
//
// tg-node leader: the leader's address; --transfer ADDRESS first hands leadership to
// that node (the test uses it to have every node serve in turn).
package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/canonical/go-dqlite/client"
)

func cmdQuery(args []string) error {
	o := newClientOptions("query")
	if err := o.parse(args); err != nil {
		return err
	}
	db, ctx, cancel, err := o.open()
	if err != nil {
		return err
	}
	defer cancel()
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	if o.fs.NArg() > 0 {
		for _, q := range o.fs.Args() {
			if err := runQuery(ctx, conn, q, out); err != nil {
				return err
			}
		}
		return nil
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	for in.Scan() {
		if q := strings.TrimSpace(in.Text()); q != "" {
			if err := runQuery(ctx, conn, q, out); err != nil {
				return err
			}
			out.Flush() // a script waiting for this answer gets it now
		}
	}
	return in.Err()
}

func runQuery(ctx context.Context, conn *sql.Conn, q string, out *bufio.Writer) error {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]interface{}, len(cols))
	ptrs := make([]interface{}, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			if i > 0 {
				out.WriteByte('|')
			}
			out.WriteString(format(v))
		}
		out.WriteByte('\n')
	}
	return rows.Err()
}

func format(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

func cmdLeader(args []string) error {
	o := newClientOptions("leader")
	transfer := o.fs.String("transfer", "", "hand leadership to the node at this address first")
	if err := o.parse(args); err != nil {
		return err
	}
	dial, err := o.dial()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	opts := []client.Option{client.WithDialFunc(dial), client.WithLogFunc(quietLog)}
	cli, err := client.FindLeader(ctx, o.store(), opts...)
	if err != nil {
		return err
	}
	defer func() { cli.Close() }()
	if *transfer != "" {
		nodes, err := cli.Cluster(ctx)
		if err != nil {
			return err
		}
		var id uint64
		for _, n := range nodes {
			if n.Address == *transfer {
				id = n.ID
			}
		}
		if id == 0 {
			return fmt.Errorf("no node at %s in the cluster", *transfer)
		}
		leader, err := cli.Leader(ctx)
		if err != nil {
			return err
		}
		if leader.ID != id {
			if err := cli.Transfer(ctx, id); err != nil {
				return fmt.Errorf("transfer to %s: %w", *transfer, err)
			}
		}
		cli.Close()
		if cli, err = client.FindLeader(ctx, o.store(), opts...); err != nil {
			return err
		}
	}
	leader, err := cli.Leader(ctx)
	if err != nil {
		return err
	}
	fmt.Println(leader.Address)
	return nil
}
