// Options every command shares: the TLS files, and for the client commands the cluster's
// addresses, the database name and a time limit.  A client finds the leader among the
// given addresses and sends it SQL; go-dqlite reconnects to a new leader after a failover.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/canonical/go-dqlite/client"
	"github.com/canonical/go-dqlite/driver"
)

type tlsFiles struct{ cert, key, ca string }

func (t *tlsFiles) register(fs *flag.FlagSet) {
	fs.StringVar(&t.cert, "tls-cert", "", "this node's (or client's) TLS certificate, PEM")
	fs.StringVar(&t.key, "tls-key", "", "its private key, PEM")
	fs.StringVar(&t.ca, "tls-ca", "", "the CA that signs the cluster's certificates (default: --tls-cert)")
}

// configs returns go-dqlite's mutual-TLS listen and dial configurations, or nils without TLS.
func (t *tlsFiles) configs() (listen, dial *tls.Config, err error) {
	if t.cert == "" && t.key == "" {
		return nil, nil, nil
	}
	if t.cert == "" || t.key == "" {
		return nil, nil, fmt.Errorf("--tls-cert and --tls-key go together")
	}
	cert, err := tls.LoadX509KeyPair(t.cert, t.key)
	if err != nil {
		return nil, nil, fmt.Errorf("TLS key pair: %w", err)
	}
	ca := t.ca
	if ca == "" {
		ca = t.cert
	}
	pem, err := os.ReadFile(ca)
	if err != nil {
		return nil, nil, fmt.Errorf("TLS CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, nil, fmt.Errorf("TLS CA: no certificate in %s", ca)
	}
	x, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil || len(x.DNSNames) == 0 {
		return nil, nil, fmt.Errorf("TLS certificate %s: needs a DNS name (subjectAltName), the name peers check", t.cert)
	}
	// go-dqlite 1.11.5's app.SimpleTLSConfig pins curves and ciphers and shares a session
	// cache, which Go 1.19's TLS 1.3 rejects ("invalid PSK binder", "bad record MAC"); these
	// are the configurations later go-dqlite releases settled on: mutual TLS, 1.2 or later.
	listen = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert},
		RootCAs: pool, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert}
	dial = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert},
		RootCAs: pool, ServerName: x.DNSNames[0]}
	return listen, dial, nil
}

type clientOptions struct {
	fs      *flag.FlagSet
	cluster string
	db      string
	timeout time.Duration
	tls     tlsFiles
}

func newClientOptions(name string) *clientOptions {
	o := &clientOptions{fs: flag.NewFlagSet("tg-node "+name, flag.ContinueOnError)}
	o.fs.StringVar(&o.cluster, "cluster", os.Getenv("TG_CLUSTER"), "comma-separated node addresses (default $TG_CLUSTER)")
	o.fs.StringVar(&o.db, "db", "tg", "the cluster's database")
	o.fs.DurationVar(&o.timeout, "timeout", time.Minute, "give up after this long (finding a leader included)")
	o.tls.register(o.fs)
	return o
}

func (o *clientOptions) parse(args []string) error {
	if err := o.fs.Parse(args); err != nil {
		return err
	}
	if o.cluster == "" {
		return fmt.Errorf("no cluster: give --cluster HOST:PORT,... or set TG_CLUSTER")
	}
	return nil
}

func (o *clientOptions) store() client.NodeStore {
	var nodes []client.NodeInfo
	for _, a := range splitList(o.cluster) {
		nodes = append(nodes, client.NodeInfo{Address: a})
	}
	s := client.NewInmemNodeStore()
	s.Set(context.Background(), nodes)
	return s
}

func (o *clientOptions) dial() (client.DialFunc, error) {
	_, dial, err := o.tls.configs()
	if err != nil || dial == nil {
		return client.DefaultDialFunc, err
	}
	return client.DialFuncWithTLS(client.DefaultDialFunc, dial), nil
}

func splitList(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// open returns the cluster's database (connections go to its leader) and the context
// bounding the whole command.
func (o *clientOptions) open() (*sql.DB, context.Context, context.CancelFunc, error) {
	dial, err := o.dial()
	if err != nil {
		return nil, nil, nil, err
	}
	drv, err := driver.New(o.store(), driver.WithDialFunc(dial), driver.WithLogFunc(quietLog))
	if err != nil {
		return nil, nil, nil, err
	}
	connector, err := drv.OpenConnector(o.db)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	db := sql.OpenDB(connector)
	// Reaching the leader now, so that a failure says why: go-dqlite's own error is only
	// "no available dqlite leader server found", whatever refused each attempt (a
	// certificate, a closed port).
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		cancel()
		if errors.Is(err, driver.ErrNoAvailableLeader) {
			if why := lastAttempt.get(); why != "" {
				err = fmt.Errorf("%w (last attempt: %s)", err, why)
			}
		}
		return nil, nil, nil, err
	}
	return db, ctx, cancel, nil
}

// lastAttempt is go-dqlite's last warning: why its last attempt to reach a node failed.
var lastAttempt attemptLog

type attemptLog struct {
	mu  sync.Mutex
	msg string
}

func (l *attemptLog) set(msg string) {
	l.mu.Lock()
	l.msg = msg
	l.mu.Unlock()
}

func (l *attemptLog) get() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.msg
}

// quietLog passes on go-dqlite's errors only (its warnings are the retries of finding a
// leader), and keeps the last warning for open's error.
func quietLog(l client.LogLevel, format string, a ...interface{}) {
	msg := fmt.Sprintf(format, a...)
	if l == client.LogWarn {
		lastAttempt.set(msg)
	}
	if l >= client.LogError {
		fmt.Fprintf(os.Stderr, "tg-node: dqlite %s: %s\n", l, msg)
	}
}

// parseModelID reads a model id as tg-train does: decimal digits only (ParseUint in base
// 10 takes no sign, prefix or underscore), from 1 to the largest int64.  strconv.ParseInt
// took a sign, and flag.Int64 a base prefix too ("010" was model 8).
func parseModelID(s string) (int64, error) {
	id, err := strconv.ParseUint(s, 10, 63)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("a model id is a whole number from 1 to %d, not %q", int64(math.MaxInt64), s)
	}
	return int64(id), nil
}

// modelID is a flag holding a model id (0: none given).
type modelID int64

func (m *modelID) String() string { return strconv.FormatInt(int64(*m), 10) }

func (m *modelID) Set(s string) error {
	id, err := parseModelID(s)
	*m = modelID(id)
	return err
}
