// Package server is the scan server (snipscan serve): an HTTP handler
// that matches the fingerprints of target files, sent by snipscan scan
// --server in the protocol of package remote, against a corpus, and
// answers with the findings. It never receives the targets' text.
//
// Paths:
//
//	GET  /healthz     200 "ok": the server runs (no token needed)
//	GET  /v1/info     remote.Info: protocol version, corpus, parameters
//	POST /v1/scan     a remote request; answer remote.Response
//	GET  /v1/license  ?id=ID: a license text kept in the corpus
//
// Every path but /healthz needs a bearer token the server accepts, when
// it was given any. A request waits for one of MaxConcurrent scan slots
// for up to QueueTimeout, then gets 503 with Retry-After. Errors are JSON
// ({"error": "..."}): 400 for a request that cannot be decoded, 401, 404,
// 405, 409 for fingerprint parameters other than the corpus's, 413 for a
// body over MaxRequest (on the wire or decompressed), 415 for an encoding
// other than gzip, 500 for a failure of the server (a panic while
// serving one request included: it is logged and the server goes on).
// Each request is logged on Log when it ends (method, path, status,
// bytes read and written, duration, remote address).
package server

import (
	"compress/gzip"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/remote"
	"github.com/snipscan/snipscan/report"
	"github.com/snipscan/snipscan/scanner"
)

// Corpus is what the server reads: an index, its name and its license
// texts.
type Corpus interface {
	match.Index
	Path() string
	LicenseText(id string) (string, error)
}

// Config configures a server.
type Config struct {
	Corpus Corpus
	// Rewrites, if set, finds rewritten functions of the units requests
	// carry.
	Rewrites match.RewriteFinder
	// Incomplete names the corpora an index run left unfinished, for
	// the clients' reports.
	Incomplete []report.IncompleteCorpus
	// Tokens are the accepted bearer tokens; none means that any request
	// is served.
	Tokens []string
	// MaxRequest bounds a request's body, in bytes; zero means
	// DefaultMaxRequest.
	MaxRequest int64
	// MaxConcurrent bounds the scans served at once; zero means
	// GOMAXPROCS.
	MaxConcurrent int
	// QueueTimeout is how long a scan waits for a slot; zero means
	// DefaultQueueTimeout.
	QueueTimeout time.Duration
	// MaxSourceBytes caps the corpus files read back to align findings;
	// zero means no read over 16 MiB.
	MaxSourceBytes int64
	// Log receives the access log; nil discards it.
	Log *slog.Logger
}

// Defaults.
const (
	DefaultMaxRequest   = 64 << 20
	DefaultQueueTimeout = 30 * time.Second
	defaultSourceBytes  = 16 << 20
)

// Server serves scans over one corpus. It is an http.Handler.
type Server struct {
	cfg   Config
	slots chan struct{}
	mux   *http.ServeMux
}

// New returns a server of cfg.
func New(cfg Config) *Server {
	if cfg.MaxRequest <= 0 {
		cfg.MaxRequest = DefaultMaxRequest
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = runtime.GOMAXPROCS(0)
	}
	if cfg.QueueTimeout <= 0 {
		cfg.QueueTimeout = DefaultQueueTimeout
	}
	if cfg.MaxSourceBytes <= 0 {
		cfg.MaxSourceBytes = defaultSourceBytes
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	s := &Server{cfg: cfg, slots: make(chan struct{}, cfg.MaxConcurrent), mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	s.mux.HandleFunc("GET /v1/info", s.authorized(s.info))
	s.mux.HandleFunc("POST /v1/scan", s.authorized(s.scan))
	s.mux.HandleFunc("GET /v1/license", s.authorized(s.license))
	s.mux.HandleFunc("/", s.notFound)
	return s
}

// ServeHTTP serves one request, logs it, and turns a panic into a 500.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	body := &countingReader{r: r.Body}
	r.Body = body
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.Log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if rec.status == 0 {
				writeError(rec, http.StatusInternalServerError, "internal error")
			}
		}
		s.cfg.Log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.code(),
			"bytes_in", body.n, "bytes_out", rec.n, "duration_ms", float64(time.Since(start).Microseconds())/1000, "remote", r.RemoteAddr)
	}()
	s.mux.ServeHTTP(rec, r)
}

// authorized wraps h with the check of the bearer token.
func (s *Server) authorized(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if len(s.cfg.Tokens) > 0 && !s.accepts(r.Header.Get("Authorization")) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="snipscan"`)
			writeError(w, http.StatusUnauthorized, "missing or unknown bearer token")
			return
		}
		h(w, r)
	}
}

// accepts reports whether the Authorization header holds an accepted
// token, comparing it with every token in constant time.
func (s *Server) accepts(header string) bool {
	tok, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return false
	}
	found := 0
	for _, t := range s.cfg.Tokens {
		found |= subtle.ConstantTimeCompare([]byte(tok), []byte(t))
	}
	return found == 1
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, remote.Info{Version: remote.Version, Corpus: s.cfg.Corpus.Path(), Params: s.cfg.Corpus.Params(),
		Rewrites: s.cfg.Rewrites != nil, Incomplete: s.cfg.Incomplete})
}

func (s *Server) license(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	if id == "" {
		writeError(w, http.StatusBadRequest, "no license text id")
		return
	}
	text, err := s.cfg.Corpus.LicenseText(id)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, text)
}

// scan serves one scan request, once a slot is free.
func (s *Server) scan(w http.ResponseWriter, r *http.Request) {
	if !s.acquire(w, r) {
		return
	}
	defer func() { <-s.slots }()
	data, status, err := s.body(w, r)
	if err != nil {
		writeError(w, status, err.Error())
		return
	}
	req, err := remote.Decode(data, remote.Limits{})
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := s.sameParams(req); err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	results, err := s.match(r, req)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, remote.Response{Version: remote.Version, Results: results})
}

// body reads a request's body, gzip-compressed or not, of MaxRequest
// bytes at most on the wire and once decompressed; an error comes with
// the status to answer.
func (s *Server) body(w http.ResponseWriter, r *http.Request) ([]byte, int, error) {
	var in io.Reader = http.MaxBytesReader(w, r.Body, s.cfg.MaxRequest)
	switch enc := r.Header.Get("Content-Encoding"); enc {
	case "gzip":
		zr, err := gzip.NewReader(in)
		if err != nil {
			return nil, s.readStatus(err), fmt.Errorf("reading the request: %w", err)
		}
		in = zr
	case "", "identity":
	default:
		return nil, http.StatusUnsupportedMediaType, fmt.Errorf("content encoding %q: want gzip or none", enc)
	}
	data, err := io.ReadAll(io.LimitReader(in, s.cfg.MaxRequest+1))
	if err != nil {
		return nil, s.readStatus(err), fmt.Errorf("reading the request: %w", err)
	}
	if int64(len(data)) > s.cfg.MaxRequest {
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("request over the limit of %d bytes once decompressed", s.cfg.MaxRequest)
	}
	return data, 0, nil
}

// readStatus is the status of an error reading a body: 413 past the
// limit, else 400.
func (s *Server) readStatus(err error) int {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// acquire waits for a scan slot, up to the queue timeout (503) or the
// end of the request.
func (s *Server) acquire(w http.ResponseWriter, r *http.Request) bool {
	t := time.NewTimer(s.cfg.QueueTimeout)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return true
	case <-t.C:
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("all %d scan slots busy for %s", cap(s.slots), s.cfg.QueueTimeout))
	case <-r.Context().Done():
		writeError(w, http.StatusServiceUnavailable, "the request ended while it waited for a scan slot")
	}
	return false
}

// sameParams checks that the request's targets were fingerprinted as the
// corpus was.
func (s *Server) sameParams(req *remote.Request) error {
	p, q := s.cfg.Corpus.Params(), req.Params
	if p.K != q.K || p.W != q.W || p.FPVersion != q.FPVersion || p.AbstractLiterals != q.AbstractLiterals {
		return fmt.Errorf("the files were fingerprinted with k=%d w=%d version %d abstract-literals=%t, the corpus with k=%d w=%d version %d abstract-literals=%t",
			q.K, q.W, q.FPVersion, q.AbstractLiterals, p.K, p.W, p.FPVersion, p.AbstractLiterals)
	}
	return nil
}

// match matches the request's targets as a local scan does (or runs the
// rewrite stage alone, for a request of RewritesOnly), and marks the
// findings' sources by reading them back here.
func (s *Server) match(r *http.Request, req *remote.Request) ([]match.Result, error) {
	srcs := scanner.NewSources(r.Context(), s.cfg.MaxSourceBytes)
	var results []match.Result
	var err error
	if req.RewritesOnly {
		results, err = s.rewrites(r, req)
	} else {
		opts := match.Options{MinTokens: req.MinTokens, MaxDF: req.MaxDF}
		if req.SourceText {
			opts.SourceText = srcs.Text
		}
		if !req.UnitsLater {
			opts.Rewrites = s.cfg.Rewrites
		}
		results, err = match.Match(r.Context(), s.cfg.Corpus, req.Targets, opts)
	}
	if err != nil {
		return nil, err
	}
	srcs.Mark(results)
	return results, nil
}

// rewrites runs the rewrite stage on the units of the request's targets,
// given the lines of their findings so far, and returns the rewrite
// findings alone.
func (s *Server) rewrites(r *http.Request, req *remote.Request) ([]match.Result, error) {
	results := make([]match.Result, len(req.Targets))
	if s.cfg.Rewrites == nil {
		return results, nil
	}
	for i, found := range req.Found {
		for _, lines := range found {
			results[i].Findings = append(results[i].Findings, match.Finding{Lines: lines})
		}
	}
	if err := match.Rewrites(r.Context(), s.cfg.Corpus, req.Targets, results, s.cfg.Rewrites); err != nil {
		return nil, err
	}
	for i := range results {
		results[i].Findings = slices.DeleteFunc(results[i].Findings, func(f match.Finding) bool { return f.Kind != match.KindRewrite })
	}
	return results, nil
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/healthz", "/v1/info", "/v1/scan", "/v1/license":
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not served at "+r.URL.Path)
	default:
		writeError(w, http.StatusNotFound, "no such path: "+r.URL.Path)
	}
}

// writeJSON writes v as a 200 answer.
func writeJSON(w http.ResponseWriter, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encoding the answer: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}

// writeError writes a JSON error answer.
func writeError(w http.ResponseWriter, status int, msg string) {
	data, _ := json.Marshal(remote.ErrorBody{Error: msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}

// recorder keeps the status and the bytes of an answer.
type recorder struct {
	http.ResponseWriter
	status int
	n      int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	r.n += int64(n)
	return n, err
}

// code is the status sent (200 when nothing was written).
func (r *recorder) code() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// countingReader counts the bytes of a request's body read.
type countingReader struct {
	r io.ReadCloser
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) Close() error { return c.r.Close() }
