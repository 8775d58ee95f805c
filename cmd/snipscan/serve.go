package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/snipscan/snipscan/remote"
	"github.com/snipscan/snipscan/server"
)

const serveUsage = `
Usage: snipscan serve [flags]

Serve scans over the corpus: snipscan scan --server URL fingerprints its
files where it runs and sends the server their fingerprints and token
hashes, never their text, names or literals; the server matches them
against the corpus, reads the corpus files back to align the findings'
edges, and answers with the findings, which the client reports as a local
scan would (every format, the policy, the exit code).

Clients authenticate with a bearer token, from their SNIPSCAN_TOKEN; the
server accepts the tokens of --tokens FILE, one a line (blank lines and
lines starting with # are ignored). Without --tokens the server accepts
any request, and so it only listens on a loopback address. With
--tls-cert and --tls-key it serves HTTPS.

A scan request waits for one of --max-concurrent slots, for up to
--queue-timeout, then gets 503 (Retry-After: 1); a request body over
--max-request bytes gets 413. Bad requests get a 4xx answer with a JSON
error message. GET /healthz answers "ok" without a token.

stderr gets a JSON log line (log/slog) per request when it ends: method,
path, status, bytes read and written, duration, remote address; and the
address listened on, once, when the server starts ("listening", addr).
SIGTERM or SIGINT stops accepting connections and lets the requests
being served finish (up to --shutdown-timeout), then exits 0.

Examples:

	snipscan serve --db corpus.db                                  # 127.0.0.1:8377, no token
	snipscan serve --db corpus.db --listen :8377 --tokens tokens.txt --tls-cert cert.pem --tls-key key.pem
	SNIPSCAN_TOKEN=... snipscan scan --server https://scan.example:8377 .
`

// serveFlags are the flags of snipscan serve.
type serveFlags struct {
	dbPaths       fileList
	listen        *string
	tokens        *string
	tlsCert       *string
	tlsKey        *string
	maxRequest    *int64
	maxConcurrent *int
	queueTimeout  *time.Duration
	shutdown      *time.Duration
	lockTimeout   *time.Duration
	corpora       corpusChecker
}

func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "serve", serveUsage)
	f := &serveFlags{}
	fs.Var(&f.dbPaths, "db", "corpus database `file` (default $SNIPSCAN_DB or "+defaultDBPath(e.getenv)+"); repeat it to serve several databases as one")
	f.listen = fs.String("listen", "127.0.0.1:8377", "`address` to listen on (host:port; port 0 picks a free one)")
	f.tokens = fs.String("tokens", "", "`file` of the accepted bearer tokens, one a line (without it, only a loopback address is served)")
	f.tlsCert = fs.String("tls-cert", "", "TLS certificate `file` (PEM), with --tls-key: serve HTTPS")
	f.tlsKey = fs.String("tls-key", "", "TLS private key `file` (PEM)")
	f.maxRequest = sizeFlag(fs, "max-request", server.DefaultMaxRequest, 1, "largest request body, in `bytes` (or with a k, M or G suffix)")
	f.maxConcurrent = intFlag(fs, "max-concurrent", 0, 1, true, "scans served at once (`n`; 0: the number of CPUs); more wait")
	f.queueTimeout = fs.Duration("queue-timeout", server.DefaultQueueTimeout, "how long a scan waits for a free slot (a `duration`) before it gets 503")
	f.shutdown = fs.Duration("shutdown-timeout", time.Minute, "how long the requests being served may take to finish (a `duration`) once a signal stops the server")
	f.lockTimeout = lockTimeoutFlag(fs, "how long to wait (a `duration`) while an index run holds the database")
	fs.BoolVar(&f.corpora.allowIncomplete, "allow-incomplete", false, "serve a database that an index or merge run left unfinished; reports then say it is incomplete")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve takes no arguments")
	}
	if (*f.tlsCert == "") != (*f.tlsKey == "") {
		return usagef("--tls-cert and --tls-key go together")
	}
	var tokens []string
	if *f.tokens != "" {
		var err error
		if tokens, err = readTokens(*f.tokens); err != nil {
			return err
		}
	}
	db, closeDB, err := openScanCorpus(e, f.dbPaths, *f.lockTimeout, &f.corpora)
	if err != nil {
		return err
	}
	defer closeDB()
	log := slog.New(slog.NewJSONHandler(e.stderr, nil))
	srv := server.New(server.Config{Corpus: db, Rewrites: rewriteFinder(e, db), Incomplete: f.corpora.incomplete, Tokens: tokens,
		MaxRequest: *f.maxRequest, MaxConcurrent: *f.maxConcurrent, QueueTimeout: *f.queueTimeout, Log: log})
	ln, err := net.Listen("tcp", *f.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if addr, ok := ln.Addr().(*net.TCPAddr); ok && tokens == nil && !addr.IP.IsLoopback() {
		ln.Close()
		return usagef("--listen %s is not a loopback address: give --tokens FILE, the tokens the server accepts", *f.listen)
	}
	return serve(ctx, ln, srv, f, log)
}

// serve serves on ln until ctx ends, then shuts the server down, letting
// the requests being served finish.
func serve(ctx context.Context, ln net.Listener, h http.Handler, f *serveFlags, log *slog.Logger) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	scheme := "http"
	if *f.tlsCert != "" {
		scheme = "https"
	}
	errc := make(chan error, 1)
	go func() {
		if scheme == "https" {
			errc <- hs.ServeTLS(ln, *f.tlsCert, *f.tlsKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	log.Info("listening", "addr", ln.Addr().String(), "url", scheme+"://"+ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), *f.shutdown)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// readTokens reads a tokens file: one token a line, blank lines and
// lines starting with # ignored; a file without a token is an error.
func readTokens(path string) ([]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--tokens: %w", err)
	}
	defer fh.Close()
	var tokens []string
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" && !strings.HasPrefix(t, "#") {
			tokens = append(tokens, t)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--tokens %s: %w", path, err)
	}
	if len(tokens) == 0 {
		return nil, fmt.Errorf("--tokens %s holds no token", path)
	}
	return tokens, nil
}

// dialServer connects to the scan server at url with the token of
// $SNIPSCAN_TOKEN.
func dialServer(ctx context.Context, e env, url string) (*remote.Client, error) {
	return remote.Dial(ctx, url, strings.TrimSpace(e.getenv("SNIPSCAN_TOKEN")))
}
