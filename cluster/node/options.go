// Options every command shares: the TLS files, and for the client commands the cluster's
// addresses, the database name and a time limit.  A client finds the leader among the
// given addresses and sends it SQL; go-dqlite reconnects to a new leader after a failover.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"strings"
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
	return sql.OpenDB(connector), ctx, cancel, nil
}

// quietLog passes on go-dqlite's errors only (its warnings are the retries of finding a leader).
func quietLog(l client.LogLevel, format string, a ...interface{}) {
	if l >= client.LogError {
		fmt.Fprintf(os.Stderr, "tg-node: dqlite %s: %s\n", l, fmt.Sprintf(format, a...))
	}
}
