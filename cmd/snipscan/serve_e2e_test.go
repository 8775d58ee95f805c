package main

// End-to-end tests of snipscan serve and scan --server: the real binary
// serves a real bbolt corpus on a loopback port, and scans through it
// give the findings of a local scan while sending the server no text.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"go/scanner"
	"go/token"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// served is a snipscan serve process.
type served struct {
	url   string
	cmd   *exec.Cmd
	lines chan string // its stderr, line by line, closed when it exits
	done  chan error  // its exit, once lines is drained
}

// startServe starts snipscan serve on a free loopback port with args and
// returns once it says where it listens. The process is killed at the
// end of the test if it still runs.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, lines: make(chan string, 1024), done: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
		s.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		for range s.lines {
		}
	})
	var ev struct{ Msg, URL string }
	line := s.waitFor(t, "listening")
	if err := json.Unmarshal([]byte(line), &ev); err != nil || ev.URL == "" {
		t.Fatalf("serve's first log line %q: %v", line, err)
	}
	s.url = ev.URL
	return s
}

// waitFor reads the server's log until a line whose msg is msg, and
// returns it; the server's exit before it fails the test.
func (s *served) waitFor(t *testing.T, msg string) string {
	t.Helper()
	var seen []string
	for line := range s.lines {
		var ev struct{ Msg string }
		if json.Unmarshal([]byte(line), &ev) == nil && ev.Msg == msg {
			return line
		}
		seen = append(seen, line)
	}
	t.Fatalf("serve exited before logging %q:\n%s", msg, strings.Join(seen, "\n"))
	return ""
}

// serveFixture indexes a GPL copy of GOROOT's strings package and makes a
// target of three files: a rewrite of strings.Reader.Seek, a file of this
// repository into which strings.go's Map was pasted with every name
// changed, and an unrelated file.
func serveFixture(t *testing.T) (db, target string) {
	t.Helper()
	db, _, target = serveTree(t)
	return db, target
}

// serveTree is serveFixture that also returns the directory indexed.
func serveTree(t *testing.T) (db, pkg, target string) {
	t.Helper()
	dir := t.TempDir()
	db, pkg = rewriteCorpus(t, dir)
	target = filepath.Join(dir, "target")
	os.MkdirAll(target, 0o755)
	code, _, _ := rewritten(t, filepath.Join(pkg, "reader.go"), "Seek", 1)
	writeFile(t, filepath.Join(target, "seek.go"), code)
	fn, _, _ := fileFunc(t, filepath.Join(pkg, "strings.go"), "Map")
	pasted, _, _ := paste(t, "../../walk/archive.go", renameAndReformat(t, fn))
	writeFile(t, filepath.Join(target, "pasted.go"), pasted)
	own, err := os.ReadFile("../../walk/walk.go")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(target, "walk.go"), string(own))
	return db, pkg, target
}

// withoutElapsed drops the JSON report's elapsed_ms line: the one field
// that differs between two runs.
func withoutElapsed(s string) string {
	return regexp.MustCompile(`(?m)^\s*"elapsed_ms": \d+,\n`).ReplaceAllString(s, "")
}

// recordingProxy forwards requests to the server at to and keeps the
// body of each scan request, decompressed.
func recordingProxy(t *testing.T, to string) (string, func() [][]byte) {
	t.Helper()
	u, err := url.Parse(to)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	var mu sync.Mutex
	var bodies [][]byte
	ps := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if r.URL.Path == "/v1/scan" {
			plain := body
			if r.Header.Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Errorf("a request of %d bytes is not gzip: %v", len(body), err)
					return
				}
				plain, _ = io.ReadAll(zr)
			}
			mu.Lock()
			bodies = append(bodies, plain)
			mu.Unlock()
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ps.Close)
	return ps.URL, func() [][]byte {
		mu.Lock()
		defer mu.Unlock()
		return bodies
	}
}

// TestServeScan scans a target locally and through snipscan serve, past a
// proxy that records what the client sends: both JSON reports are the
// same byte for byte (but elapsed_ms), a rewrite finding's function and
// evidence included, and the requests hold no line of the targets' text,
// none of their identifiers of four letters or more, none of their
// string literals, nor their names.
func TestServeScan(t *testing.T) {
	db, target := serveFixture(t)
	tokens := filepath.Join(t.TempDir(), "tokens")
	writeFile(t, tokens, "# accepted tokens\nfirst-token\n\nsecond-token\n")
	srv := startServe(t, "--db", db, "--tokens", tokens)
	proxy, bodies := recordingProxy(t, srv.url)

	local := snipscan(t, nil, "scan", "--db", db, "--format", "json", target)
	remote := snipscan(t, []string{"SNIPSCAN_TOKEN=second-token"}, "scan", "--server", proxy, "--format", "json", target)
	if local.code == 2 || remote.code != local.code {
		t.Fatalf("exit %d locally, %d through the server\n%s\n%s", local.code, remote.code, local.stderr, remote.stderr)
	}
	if !strings.Contains(local.stdout, `"kind": "rewrite"`) || !strings.Contains(local.stdout, `"kind": "snippet"`) || !strings.Contains(local.stdout, `"evidence"`) {
		t.Fatalf("the local scan lacks a rewrite or a snippet finding:\n%s", local.stdout)
	}
	if a, b := withoutElapsed(local.stdout), withoutElapsed(remote.stdout); a != b {
		t.Errorf("reports differ:\nlocal:\n%s\nthrough the server:\n%s", a, b)
	}
	if len(bodies()) == 0 {
		t.Fatal("no scan request went through the proxy")
	}
	for _, body := range bodies() {
		checkNoText(t, body, target)
	}

	// Other formats and the policy are rendered by the client (the
	// notice with the license texts the server's corpus keeps).
	strict := filepath.Join(t.TempDir(), "strict.toml")
	writeFile(t, strict, "rewrites = \"fail\"\n")
	// --no-rewrites leaves the rewrite stage out through the server too.
	for _, args := range [][]string{{"--format", "sarif"}, {"--format", "text"}, {"--format", "notice"}, {"--format", "json", "--policy", strict}, {"--format", "json", "--no-rewrites"}} {
		l := snipscan(t, nil, append(append([]string{"scan", "--db", db}, args...), target)...)
		r := snipscan(t, []string{"SNIPSCAN_TOKEN=first-token"}, append(append([]string{"scan", "--server", srv.url}, args...), target)...)
		if l.code != r.code || withoutElapsed(l.stdout) != withoutElapsed(r.stdout) {
			t.Errorf("%v: exit %d locally, %d through the server; outputs differ:\n%s\n%s", args, l.code, r.code, l.stdout, r.stdout)
		}
		if slices.Contains(args, "--no-rewrites") && (!strings.Contains(r.stdout, `"rewrites_searched": false`) || strings.Contains(r.stdout, `"kind": "rewrite"`)) {
			t.Errorf("scan --server --no-rewrites searched rewrites:\n%s", r.stdout)
		}
	}
	if !strings.Contains(remote.stdout, `"rewrites_searched": true`) {
		t.Errorf("the scan through the server does not say it searched rewrites:\n%s", remote.stdout)
	}
}

// checkNoText fails the test if body holds a line of a target file's text
// (of 6 bytes or more, trimmed), an identifier of 4 letters or more, a
// string literal (its text, of 4 bytes or more), or a file's name.
func checkNoText(t *testing.T, body []byte, target string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(target, "*.go"))
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		leaks := []string{filepath.Base(f), target}
		for _, l := range strings.Split(string(src), "\n") {
			if l = strings.TrimSpace(l); len(l) >= 6 {
				leaks = append(leaks, l)
			}
		}
		var sc scanner.Scanner
		fset := token.NewFileSet()
		sc.Init(fset.AddFile(f, -1, len(src)), src, nil, 0)
		for {
			_, tok, lit := sc.Scan()
			if tok == token.EOF {
				break
			}
			switch {
			case tok == token.IDENT && len(lit) >= 4:
				leaks = append(leaks, lit)
			case tok == token.STRING:
				if s, err := strconv.Unquote(lit); err == nil && len(s) >= 4 {
					leaks = append(leaks, s)
				}
			}
		}
		for _, l := range leaks {
			if bytes.Contains(body, []byte(l)) {
				t.Errorf("a request of %d bytes holds %q of %s", len(body), l, f)
			}
		}
	}
}

// TestServeRefuses checks a server's refusals: no token or a wrong one
// (401, exit 2), a request over --max-request (413, exit 2), a request
// that is not one (400, the server goes on), an unreachable server (exit
// 2), and a non-loopback address without --tokens (exit 2).
func TestServeRefuses(t *testing.T) {
	db, target := serveFixture(t)
	tokens := filepath.Join(t.TempDir(), "tokens")
	writeFile(t, tokens, "the-token\n")
	srv := startServe(t, "--db", db, "--tokens", tokens, "--max-request", "4k")
	for _, env := range [][]string{{"SNIPSCAN_TOKEN="}, {"SNIPSCAN_TOKEN=wrong"}} {
		r := snipscan(t, env, "scan", "--server", srv.url, target)
		if r.code != 2 || !strings.Contains(r.stderr, "401") || !strings.Contains(r.stderr, "SNIPSCAN_TOKEN") {
			t.Errorf("%v: exit %d, want 2 and a 401\n%s", env, r.code, r.stderr)
		}
	}
	r := snipscan(t, []string{"SNIPSCAN_TOKEN=the-token"}, "scan", "--server", srv.url, target)
	if r.code != 2 || !strings.Contains(r.stderr, "413") || strings.Contains(r.stderr, "the-token") {
		t.Errorf("over --max-request: exit %d, want 2 and a 413 (without the token)\n%s", r.code, r.stderr)
	}
	for _, body := range []string{"", "SNSQ", "SNSQ\x02", "not a request", "SNSQ\x01\x14\x10\x06\x00\x28\x40\x00\xff\xff\xff\xff\x0f"} {
		req, _ := http.NewRequest(http.MethodPost, srv.url+"/v1/scan", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer the-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var eb struct{ Error string }
		err = json.NewDecoder(resp.Body).Decode(&eb)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || err != nil || eb.Error == "" {
			t.Errorf("body %q: status %d, error %q (%v), want 400 with a message", body, resp.StatusCode, eb.Error, err)
		}
	}
	if resp, err := http.Get(srv.url + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz after bad requests: %v %v", resp, err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := "http://" + ln.Addr().String()
	ln.Close()
	if r := snipscan(t, nil, "scan", "--server", gone, target); r.code != 2 || !strings.Contains(r.stderr, "cannot be reached") {
		t.Errorf("unreachable server: exit %d\n%s", r.code, r.stderr)
	}
	if r := snipscan(t, nil, "serve", "--db", db, "--listen", "0.0.0.0:0"); r.code != 2 || !strings.Contains(r.stderr, "--tokens") {
		t.Errorf("serve on every address without --tokens: exit %d\n%s", r.code, r.stderr)
	}
}

// TestServeShutdown starts a scan request, sending its body only once
// the server reads it, and sends SIGTERM in between: the server stops
// listening, serves the request, and exits 0.
func TestServeShutdown(t *testing.T) {
	db, target := serveFixture(t)
	srv := startServe(t, "--db", db)
	proxy, bodies := recordingProxy(t, srv.url)
	if r := snipscan(t, nil, "scan", "--server", proxy, target); r.code == 2 {
		t.Fatalf("scan: exit %d\n%s", r.code, r.stderr)
	}
	body := bodies()[0]
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The request asks to go on (Expect: 100-continue): the server says
	// so once its handler reads the body, and is then serving it.
	fmt.Fprintf(conn, "POST /v1/scan HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", len(body))
	br := bufio.NewReader(conn)
	if line, err := br.ReadString('\n'); err != nil || !strings.Contains(line, " 100 ") {
		t.Fatalf("%q %v, want 100 Continue", line, err)
	}
	if _, err := br.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.waitFor(t, "shutting down")
	conn.Write(body)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.Contains(answer, []byte(`"results"`)) {
		t.Errorf("in-flight request: status %d\n%s", resp.StatusCode, answer)
	}
	srv.waitFor(t, "stopped")
	for range srv.lines {
	}
	if err := <-srv.done; err != nil {
		t.Errorf("serve after SIGTERM: %v, want exit 0", err)
	}
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key
// into dir, and returns their files.
func selfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "snipscan test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeFile(t, cert, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, key, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})))
	return cert, key
}

// TestServeTLS serves HTTPS with a certificate made for the test: a
// client that trusts it (SSL_CERT_FILE) gets the local scan's report; one
// that does not is refused.
func TestServeTLS(t *testing.T) {
	db, target := serveFixture(t)
	cert, key := selfSigned(t, t.TempDir())
	srv := startServe(t, "--db", db, "--tls-cert", cert, "--tls-key", key)
	if !strings.HasPrefix(srv.url, "https://") {
		t.Fatalf("serve with a certificate listens on %s", srv.url)
	}
	local := snipscan(t, nil, "scan", "--db", db, "--format", "json", target)
	r := snipscan(t, []string{"SSL_CERT_FILE=" + cert}, "scan", "--server", srv.url, "--format", "json", target)
	if r.code != local.code || withoutElapsed(r.stdout) != withoutElapsed(local.stdout) {
		t.Errorf("through HTTPS: exit %d (locally %d), reports differ\n%s", r.code, local.code, r.stderr)
	}
	if r := snipscan(t, []string{"SSL_CERT_FILE=/dev/null"}, "scan", "--server", srv.url, target); r.code != 2 || !strings.Contains(r.stderr, "certificate") {
		t.Errorf("a client that does not trust the certificate: exit %d\n%s", r.code, r.stderr)
	}
}
