package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/snipscan/snipscan/internal/filecheck"
	"github.com/snipscan/snipscan/report"
	"github.com/snipscan/snipscan/walk"
)

// wantProgress decides whether to draw a progress bar on stderr.
func wantProgress(mode string, e env) (bool, error) {
	switch mode {
	case "auto":
		return isTerminal(e.stderr) && e.getenv("TERM") != "dumb", nil
	case "always":
		return true, nil
	case "never":
		return false, nil
	}
	return false, usagef("--progress %q: want auto, always or never", mode)
}

// progressBar draws a byte-based progress bar with a file count, fed from
// counters that the pipeline updates.
type progressBar struct {
	bar     *progressbar.ProgressBar
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	total   atomic.Int64  // the bytes to read, once counted; 0 until then or when unknown
	counted chan struct{} // closed once the count is over, done or given up
}

// startProgress starts a bar on stderr. Its total, the bytes of the files
// the run will read (see progressTotal), is counted in the background, so
// that the bar shows a rate and an ETA; until it is known, and when it
// cannot be known, the bar is open-ended. opts are the run's walk
// options: their Exclude is called from another goroutine than the run's,
// for the same paths, so it must be safe for that and count nothing.
// current, when not nil, names what is being read (a fetched package),
// shown beside the count of files.
func startProgress(ctx context.Context, e env, what string, paths []string, opts walk.Options, text bool, files, bytes *atomic.Int64, current func() string) *progressBar {
	ctx, cancel := context.WithCancel(ctx)
	p := &progressBar{cancel: cancel, counted: make(chan struct{})}
	p.bar = progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)
	p.wg.Add(2)
	go func() {
		defer p.wg.Done()
		defer close(p.counted)
		if n, ok := progressTotal(ctx, paths, opts, text); ok && ctx.Err() == nil {
			p.total.Store(n)
		}
	}()
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		maxSet := false
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if n := p.total.Load(); n > 0 && !maxSet {
				p.bar.ChangeMax64(n)
				maxSet = true
			}
			desc := fmt.Sprintf("%s %s files", what, report.Count(int(files.Load())))
			if c := currentName(current); c != "" {
				desc += " (" + c + ")"
			}
			p.bar.Describe(desc)
			p.bar.Set64(bytes.Load())
		}
	}()
	return p
}

// progressTotal returns the bytes of the files below paths that a run
// walking them with opts will read: those its name filter takes (source
// files, and plain text with text), that no exclusion leaves out, of at
// most opts.MaxFileSize bytes. It reports false when the total cannot be
// known without reading archives: a PATH that is an archive, or archives
// inside directories with opts.Archives.
func progressTotal(ctx context.Context, paths []string, opts walk.Options, text bool) (int64, bool) {
	if opts.Archives {
		return 0, false
	}
	for _, path := range paths {
		if walk.ArchiveKind(path) != "" {
			if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
				return 0, false
			}
		}
	}
	opts.Want = filecheck.Want(text)
	var sum int64
	for _, path := range paths {
		err := walk.Walk(ctx, path, opts, func(f *walk.File) error {
			sum += f.Size
			return nil
		}, nil)
		if err != nil {
			return 0, false
		}
	}
	return sum, true
}

// drawCounted waits until the bar's total is counted (or known to be
// unknowable) and draws the bar with it. The progress test calls it
// through its hook (testProgressEnv) before the scan starts, so that it
// sees the bar and its total however fast the machine scans.
func (p *progressBar) drawCounted() {
	<-p.counted
	if n := p.total.Load(); n > 0 {
		p.bar.ChangeMax64(n)
	}
	p.bar.RenderBlank() // drawn whatever the throttle, nothing being read yet
}

// stop removes the bar for good: it is finished, which clears its line,
// after the goroutine that feeds it has returned, so that nothing draws it
// again (the library redraws an open-ended bar on a timer of its own
// until it is finished). It may be called on a nil bar.
func (p *progressBar) stop() {
	if p == nil {
		return
	}
	p.cancel()
	p.wg.Wait()
	p.bar.Finish()
}

// wantColor decides whether the text report is coloured: --color always or
// never, or auto: only when it goes to a terminal, NO_COLOR is unset or
// empty (https://no-color.org) and TERM is not "dumb".
func wantColor(mode, output string, e env) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		return (output == "" || output == "-") && isTerminal(e.stdout) && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb", nil
	}
	return false, usagef("--color %q: want auto, always or never", mode)
}

// currentName returns what current names ("" when current is nil).
func currentName(current func() string) string {
	if current == nil {
		return ""
	}
	return current()
}
