package main

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// bands are the popularity bands of the npm sample, by downloads a month.
var bands = []struct {
	name     string
	min, max int64 // max exclusive; 0 for none
}{
	{"10M+", 10_000_000, 0},
	{"1M-10M", 1_000_000, 10_000_000},
	{"100k-1M", 100_000, 1_000_000},
	{"10k-100k", 10_000, 100_000},
	{"below 10k", 0, 10_000},
}

// sampleNPM prints perBand packages of each popularity band of a TSV of
// npm packages (name, version, downloads a month; a header line), drawn
// by a hash of the seed and the name, as name@version lines sorted
// within their band.
func sampleNPM(file string, perBand int, seed string, w io.Writer) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("sample npm: %w", err)
	}
	defer f.Close()
	type pkg struct {
		spec string
		hash uint64
	}
	drawn := make([][]pkg, len(bands))
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 3 {
			continue
		}
		n, err := strconv.ParseInt(cols[2], 10, 64)
		if err != nil || cols[1] == "" {
			continue
		}
		for i, b := range bands {
			if n >= b.min && (b.max == 0 || n < b.max) {
				h := fnv.New64a()
				h.Write([]byte(seed + "\x00" + cols[0]))
				drawn[i] = append(drawn[i], pkg{cols[0] + "@" + cols[1], h.Sum64()})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("sample npm: %w", err)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# npm packages of the license evaluation (cmd/liceval), name@version.\n")
	fmt.Fprintf(bw, "# Drawn with: go run ./cmd/liceval -sample-npm LIST.tsv -per-band %d -seed %s\n", perBand, seed)
	fmt.Fprintf(bw, "# from a list of npm packages with their downloads a month: %d a band, by a hash of seed and name.\n", perBand)
	for i, b := range bands {
		d := drawn[i]
		sort.Slice(d, func(x, y int) bool { return d[x].hash < d[y].hash })
		d = d[:min(len(d), perBand)]
		sort.Slice(d, func(x, y int) bool { return d[x].spec < d[y].spec })
		fmt.Fprintf(bw, "# band %s downloads a month: %d packages\n", b.name, len(d))
		for _, p := range d {
			fmt.Fprintln(bw, p.spec)
		}
	}
	return bw.Flush()
}
