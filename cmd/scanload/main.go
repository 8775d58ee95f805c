// Command scanload loads a scan server (snipscan serve) with concurrent
// clients and reports the latency of their requests and the server's
// memory.
//
// It fingerprints the files at PATH once, as snipscan scan --server
// does, then runs --clients clients for --duration, each sending the
// whole batch as one scan request after the other, and prints the
// number of requests and errors, the latency percentiles and, with
// --pid, the server's resident memory sampled every second (Linux).
//
//	scanload --server http://127.0.0.1:8377 --clients 16 --duration 60s --pid 1234 DIR
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/match"
	"github.com/snipscan/snipscan/remote"
	"github.com/snipscan/snipscan/scanner"
)

func main() {
	url := flag.String("server", "http://127.0.0.1:8377", "the scan server's `URL` (token: $SNIPSCAN_TOKEN)")
	clients := flag.Int("clients", 16, "concurrent `clients`")
	duration := flag.Duration("duration", time.Minute, "how long to load the server")
	pid := flag.Int("pid", 0, "the server's process `id`, to sample its resident memory")
	flag.Parse()
	if flag.NArg() == 0 || *clients < 1 {
		fmt.Fprintln(os.Stderr, "usage: scanload [flags] PATH...")
		os.Exit(2)
	}
	if err := run(*url, *clients, *duration, *pid, flag.Args()); err != nil {
		fmt.Fprintf(os.Stderr, "scanload: %v\n", err)
		os.Exit(2)
	}
}

func run(url string, clients int, duration time.Duration, pid int, paths []string) error {
	ctx := context.Background()
	c, err := remote.Dial(ctx, url, os.Getenv("SNIPSCAN_TOKEN"))
	if err != nil {
		return err
	}
	opts := scanner.Options{GoText: c.Info().Rewrites, SourcesElsewhere: true, BatchFiles: 1 << 20, BatchBytes: 1 << 40}
	targets, err := scanner.Targets(ctx, c.Params(), paths, opts)
	if err != nil {
		return err
	}
	size := 0
	for _, t := range targets {
		size += t.Size
	}
	fmt.Printf("%d files, %d bytes; %d clients for %s\n", len(targets), size, clients, duration)
	mopts := match.Options{MinTokens: match.DefaultMinTokens, MaxDF: match.DefaultMaxDF, SourceText: func(*corpus.FileInfo) []byte { return nil }}
	stop := make(chan struct{})
	rss := sampleRSS(pid, stop)
	lat, errs := load(ctx, c, targets, mopts, clients, duration)
	close(stop)
	report(lat, errs, duration, <-rss)
	return nil
}

// load runs clients that send targets until duration has passed, and
// returns the latencies of the requests answered and the errors.
func load(ctx context.Context, c *remote.Client, targets []match.Target, opts match.Options, clients int, duration time.Duration) ([]time.Duration, []error) {
	var mu sync.Mutex
	var lat []time.Duration
	var errs []error
	end := time.Now().Add(duration)
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				ts := slices.Clone(targets) // Match sets the paths of its results only
				start := time.Now()
				_, err := c.Match(ctx, ts, opts)
				d := time.Since(start)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					lat = append(lat, d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return lat, errs
}

// sampleRSS samples the resident memory of process pid every second
// until stop closes, and sends the samples, in KiB (none when pid is 0).
func sampleRSS(pid int, stop <-chan struct{}) <-chan []int {
	out := make(chan []int, 1)
	go func() {
		var samples []int
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for pid > 0 {
			if kb, err := rssKiB(pid); err == nil {
				samples = append(samples, kb)
			}
			select {
			case <-stop:
				out <- samples
				return
			case <-t.C:
			}
		}
		out <- samples
	}()
	return out
}

// rssKiB reads VmRSS from /proc/PID/status.
func rssKiB(pid int) (int, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	return 0, fmt.Errorf("no VmRSS for process %d", pid)
}

// report prints the figures of a load.
func report(lat []time.Duration, errs []error, duration time.Duration, rss []int) {
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	fmt.Printf("requests %d (%.1f/s), errors %d\n", len(lat), float64(len(lat))/duration.Seconds(), len(errs))
	fmt.Printf("latency p50 %s, p90 %s, p99 %s, max %s\n", pct(0.50).Round(time.Millisecond), pct(0.90).Round(time.Millisecond),
		pct(0.99).Round(time.Millisecond), pct(1).Round(time.Millisecond))
	if len(errs) > 0 {
		fmt.Printf("first error: %v\n", errs[0])
	}
	if n := len(rss); n > 0 {
		q := max(n/4, 1)
		fmt.Printf("server RSS (MiB): first %.0f, max of first quarter %.0f, max of last quarter %.0f, last %.0f (%d samples)\n",
			mib(rss[0]), mib(slices.Max(rss[:q])), mib(slices.Max(rss[n-q:])), mib(rss[n-1]), n)
	}
}

func mib(kib int) float64 { return float64(kib) / 1024 }
