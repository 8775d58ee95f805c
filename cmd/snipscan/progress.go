package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
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
	return false, usagef("--progress must be auto, always or never, not %q", mode)
}

// progressBar draws a byte-based progress bar with a file count, fed from
// counters that the pipeline updates.
type progressBar struct {
	bar    *progressbar.ProgressBar
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// startProgress starts a bar on stderr. The total is counted in the
// background for directory roots (archives make it open-ended), so that
// the bar shows a rate and an ETA.
func startProgress(ctx context.Context, e env, what string, paths []string, files, bytes *atomic.Int64) *progressBar {
	ctx, cancel := context.WithCancel(ctx)
	p := &progressBar{cancel: cancel}
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
	var total atomic.Int64
	p.wg.Add(2)
	go func() {
		defer p.wg.Done()
		var sum int64
		for _, path := range paths {
			if st, err := os.Stat(path); err != nil || !st.IsDir() {
				return // an archive: leave the total open
			}
			walk.Walk(ctx, path, walk.Options{}, func(f *walk.File) error {
				sum += f.Size
				return nil
			}, nil)
		}
		if ctx.Err() == nil {
			total.Store(sum)
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
			if n := total.Load(); n > 0 && !maxSet {
				p.bar.ChangeMax64(n)
				maxSet = true
			}
			p.bar.Describe(fmt.Sprintf("%s %s files", what, count(int(files.Load()))))
			p.bar.Set64(bytes.Load())
		}
	}()
	return p
}

// stop removes the bar. It may be called on a nil bar.
func (p *progressBar) stop() {
	if p == nil {
		return
	}
	p.cancel()
	p.wg.Wait()
	p.bar.Clear()
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
