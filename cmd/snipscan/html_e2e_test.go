package main

// End-to-end test of the HTML report: the real binary writes it for a
// renamed copy of GOROOT code, and headless Chromium loads it, runs its
// script and renders the side-by-side view, which a screenshot checks.

import (
	"context"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromium returns the path of a Chromium binary. Without one the test is
// skipped, except in CI (CI set), where .ci/run installs it, and its
// absence is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium in PATH: .ci/run installs Debian's chromium package")
	}
	t.Skip("no chromium in PATH (apt-get install chromium)")
	return ""
}

// headless runs Chromium on a page with args and returns its stdout. It
// has no time limit of its own, which a loaded machine could exceed: a
// Chromium that hangs is stopped shortly before the test binary's
// deadline (go test -timeout), so that the test fails with its output
// instead of the whole binary being killed.
func headless(t *testing.T, bin, page string, args ...string) string {
	t.Helper()
	ctx, cancel := context.Background(), context.CancelFunc(func() {})
	if deadline, ok := t.Deadline(); ok {
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-time.Until(deadline)/10))
	}
	defer cancel()
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(page)}).String()
	args = append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir=" + t.TempDir(), "--window-size=1400,1600"}, append(args, u)...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", bin, args, err, stderr.String())
	}
	return string(out)
}

// marked counts the pixels of an image in its left and right halves that
// have the colour c, within a small tolerance.
func marked(img image.Image, c [3]uint8) (left, right int) {
	b := img.Bounds()
	mid := (b.Min.X + b.Max.X) / 2
	near := func(v uint32, w uint8) bool { d := int(v>>8) - int(w); return d >= -6 && d <= 6 }
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, c[0]) && near(g, c[1]) && near(bl, c[2]) {
				if x < mid {
					left++
				} else {
					right++
				}
			}
		}
	}
	return left, right
}

func TestScanHTML(t *testing.T) {
	db := gorootCorpus(t)
	bin := chromium(t)
	dir := t.TempDir()
	fn, s0, s1 := goFunc(t, "encoding/csv/reader.go", "readRecord")
	code, _, _ := paste(t, "../../walk/walk.go", renameAndReformat(t, fn))
	target := filepath.Join(dir, "src", "pasted.go")
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "report.html")
	r := snipscan(t, nil, "scan", "--db", db, "--format", "html", "--output", page, filepath.Join(dir, "src"))
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q (the report goes to --output)\n%s", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	for _, want := range []string{"encoding/csv/reader.go", "BSD-3-Clause", "The Go Authors", `<section class="side source">`,
		`<span class="r" title="`, "pasted.go"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if !strings.Contains(html, `<td class="n">`+strconv.Itoa(s0)+`</td>`) || !strings.Contains(html, `<td class="n">`+strconv.Itoa(s1)+`</td>`) {
		t.Errorf("source view does not show lines %d and %d", s0, s1)
	}

	// Chromium runs the page's script (allowed by its CSP hash): the
	// filters appear and count the findings.
	dom := headless(t, bin, page, "--dump-dom")
	if !strings.Contains(dom, `<output id="shown">1 of 1 findings shown</output>`) ||
		strings.Contains(dom, `id="filters" hidden`) {
		t.Errorf("the page's script did not run in Chromium:\n%.2000s", dom)
	}

	// The side-by-side view renders: matched (green) and renamed (amber)
	// tokens are painted in both halves of the window.
	shot := filepath.Join(dir, "report.png")
	headless(t, bin, page, "--screenshot="+shot, "--hide-scrollbars")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	ml, mr := marked(img, [3]uint8{0xcc, 0xef, 0xd6})
	rl, rr := marked(img, [3]uint8{0xff, 0xe4, 0xa8})
	t.Logf("matched pixels %d | %d, renamed pixels %d | %d", ml, mr, rl, rr)
	if ml < 2000 || mr < 2000 || rl < 500 || rr < 500 {
		t.Errorf("side-by-side view not rendered: matched pixels %d | %d, renamed %d | %d (screenshot %s)", ml, mr, rl, rr, shot)
	}
	keepArtifact(t, shot)
}

// keepArtifact copies a file into $SNIPSCAN_TEST_ARTIFACTS, by default
// snipscan-test-artifacts in the temporary directory, for a person to look
// at after the run.
func keepArtifact(t *testing.T, path string) {
	t.Helper()
	dir := os.Getenv("SNIPSCAN_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "snipscan-test-artifacts")
	}
	data, err := os.ReadFile(path)
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	kept := filepath.Join(dir, t.Name()+"-"+filepath.Base(path))
	if err == nil {
		err = os.WriteFile(kept, data, 0o644)
	}
	if err != nil {
		t.Errorf("keeping %s: %v", path, err)
		return
	}
	t.Logf("kept %s", kept)
}
