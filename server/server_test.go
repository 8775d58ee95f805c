package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/remote"
	"github.com/snipscan/snipscan/rewrite"
	"github.com/snipscan/snipscan/scanner"
)

// testCorpus indexes GOROOT's encoding/csv into a new database, and
// returns it with a target directory holding copies of its writer.go and
// of cmp/cmp.go (a file the corpus does not hold).
func testCorpus(t testing.TB) (*corpus.DB, string) {
	t.Helper()
	src := filepath.Join(runtime.GOROOT(), "src")
	if _, err := os.Stat(filepath.Join(src, "encoding", "csv", "writer.go")); err != nil {
		t.Skipf("GOROOT sources not available: %v", err)
	}
	dir := t.TempDir()
	db, err := corpus.Open(filepath.Join(dir, "corpus.db"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := indexer.Index(context.Background(), db, []string{filepath.Join(src, "encoding", "csv")}, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target")
	os.MkdirAll(target, 0o755)
	for _, rel := range []string{"encoding/csv/writer.go", "cmp/cmp.go"} {
		data, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(target, filepath.Base(rel)), data, 0o644)
	}
	return db, target
}

// testServer returns a server of db that finds rewrites.
func testServer(t testing.TB, db *corpus.DB, cfg Config) *Server {
	t.Helper()
	fd, err := rewrite.NewFinder(db, rewrite.FindOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Corpus, cfg.Rewrites = db, fd
	return New(cfg)
}

// scanThrough scans target through h, as snipscan scan --server does,
// and returns the report with the scan requests sent, decompressed.
func scanThrough(t testing.TB, h http.Handler, target, token string) (*scanner.Report, [][]byte) {
	t.Helper()
	var mu sync.Mutex
	var bodies [][]byte
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/scan" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				t.Errorf("request not gzip: %v", err)
				return
			}
			body, _ := io.ReadAll(zr)
			mu.Lock()
			bodies = append(bodies, body)
			mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.Header.Del("Content-Encoding")
		}
		h.ServeHTTP(w, r)
	}))
	defer hs.Close()
	c, err := remote.Dial(context.Background(), hs.URL, token)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := scanner.ScanCorpus(context.Background(), c, []string{target}, scanner.Options{GoText: c.Info().Rewrites, SourcesElsewhere: true})
	if err != nil {
		t.Fatal(err)
	}
	return rep, bodies
}

// TestServerMatchesLocal scans a target through the server and locally:
// the results are the same.
func TestServerMatchesLocal(t *testing.T) {
	db, target := testCorpus(t)
	fd, err := rewrite.NewFinder(db, rewrite.FindOptions{})
	if err != nil {
		t.Fatal(err)
	}
	local, err := scanner.Scan(context.Background(), db, []string{target}, scanner.Options{Match: match.Options{Rewrites: fd}})
	if err != nil {
		t.Fatal(err)
	}
	through, bodies := scanThrough(t, testServer(t, db, Config{}), target, "")
	// Two requests: the files, then the units of cmp.go, which no
	// finding covers (writer.go's finding covers it whole: it is not
	// parsed).
	if len(local.Results) != 1 || len(bodies) != 2 {
		t.Fatalf("%d results locally, %d requests; want 1 and 2", len(local.Results), len(bodies))
	}
	second, err := remote.Decode(bodies[1], remote.Limits{})
	if err != nil || !second.RewritesOnly || len(second.Targets) != 1 || len(second.Targets[0].Units) == 0 {
		t.Errorf("second request %+v (%v), want the units of one file", second, err)
	}
	a, _ := json.Marshal(local.Results)
	b, _ := json.Marshal(through.Results)
	if !bytes.Equal(a, b) {
		t.Errorf("results differ:\nlocal  %s\nremote %s", a, b)
	}
}

// TestServerRefuses checks the answers to requests the server does not
// serve: each a JSON error with its status.
func TestServerRefuses(t *testing.T) {
	db, target := testCorpus(t)
	s := testServer(t, db, Config{Tokens: []string{"good"}, MaxRequest: 1 << 20})
	_, bodies := scanThrough(t, s, target, "good")
	body := bodies[0]
	other, err := remote.Decode(body, remote.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	other.Params.W++
	otherBody, _, err := remote.Encode(other)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, method, path, token, encoding string
		body                                []byte
		want                                int
	}{
		{"no token", "POST", "/v1/scan", "", "", body, 401},
		{"wrong token", "POST", "/v1/scan", "bad", "", body, 401},
		{"info without token", "GET", "/v1/info", "", "", nil, 401},
		{"good", "POST", "/v1/scan", "good", "", body, 200},
		{"too large", "POST", "/v1/scan", "good", "", bytes.Repeat(body, 1+(1<<20)/len(body)), 413},
		{"not gzip", "POST", "/v1/scan", "good", "gzip", body, 400},
		{"other encoding", "POST", "/v1/scan", "good", "br", body, 415},
		{"other parameters", "POST", "/v1/scan", "good", "", otherBody, 409},
		{"garbage", "POST", "/v1/scan", "good", "", []byte("SNSQ\x01garbage"), 400},
		{"wrong method", "GET", "/v1/scan", "good", "", nil, 405},
		{"no such path", "GET", "/v2/scan", "good", "", nil, 404},
		{"no license id", "GET", "/v1/license", "good", "", nil, 400},
		{"healthz", "GET", "/healthz", "", "", nil, 200},
	} {
		r := httptest.NewRequest(tt.method, tt.path, bytes.NewReader(tt.body))
		if tt.token != "" {
			r.Header.Set("Authorization", "Bearer "+tt.token)
		}
		if tt.encoding != "" {
			r.Header.Set("Content-Encoding", tt.encoding)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("%s: status %d, want %d: %s", tt.name, w.Code, tt.want, w.Body)
		}
		var eb remote.ErrorBody
		if w.Code >= 400 && (json.Unmarshal(w.Body.Bytes(), &eb) != nil || eb.Error == "") {
			t.Errorf("%s: no JSON error message: %s", tt.name, w.Body)
		}
	}
}

// TestServerLog checks the access log: one JSON line per request, with
// its method, path, status, bytes, duration and remote address, and no
// token.
func TestServerLog(t *testing.T) {
	db, target := testCorpus(t)
	var log bytes.Buffer
	s := testServer(t, db, Config{Tokens: []string{"secret-token"}, Log: slog.New(slog.NewJSONHandler(&log, nil))})
	scanThrough(t, s, target, "secret-token")
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 3 { // info, scan, rewrites
		t.Fatalf("%d log lines, want 3:\n%s", len(lines), log.String())
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &ev); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"method", "path", "status", "bytes_in", "bytes_out", "duration_ms", "remote"} {
		if _, ok := ev[k]; !ok {
			t.Errorf("log line without %s: %s", k, lines[1])
		}
	}
	if ev["path"] != "/v1/scan" || ev["status"] != float64(200) || strings.Contains(log.String(), "secret-token") {
		t.Errorf("log: %s", log.String())
	}
}

// FuzzServeScan serves arbitrary request bodies, seeded with real
// requests: the server never fails (500) nor crashes on them, in the
// decoder or in the matcher that reads what it decoded.
func FuzzServeScan(f *testing.F) {
	db, target := testCorpus(f)
	s := testServer(f, db, Config{})
	_, bodies := scanThrough(f, s, target, "")
	for _, b := range bodies {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("POST", "/v1/scan", bytes.NewReader(body)))
		if w.Code == http.StatusInternalServerError {
			t.Errorf("500: %s", w.Body)
		}
	})
}
