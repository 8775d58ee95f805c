package main

import (
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// numFlag is a whole-number flag whose value must lie in [min, max]: a
// value outside is refused while the command line is parsed, so that a
// nonsense number is a usage error (exit 2) before any work. When zeroOK
// is set, 0 keeps its meaning of "the default", whatever the range.
type numFlag struct {
	get      func() int64
	set      func(int64)
	min, max int64
	zeroOK   bool
	// size makes the flag a number of bytes, which may end in k, M or G
	// (see parseSize).
	size bool
}

func (f *numFlag) String() string {
	if f == nil || f.get == nil {
		return "0"
	}
	if f.size {
		return formatSize(f.get())
	}
	return strconv.FormatInt(f.get(), 10)
}

func (f *numFlag) Set(s string) error {
	n, err := strconv.ParseInt(s, 0, 64)
	if f.size {
		n, err = parseSize(s)
	}
	if err != nil {
		if f.size {
			return fmt.Errorf("want a number of bytes, such as 1048576, 1024k or 16M (k, M, G: KiB, MiB, GiB)")
		}
		return fmt.Errorf("want a whole number")
	}
	if !(n == 0 && f.zeroOK) && (n < f.min || n > f.max) {
		return fmt.Errorf("want %s", f.accepts())
	}
	f.set(n)
	return nil
}

// accepts says which values the flag takes.
func (f *numFlag) accepts() string {
	s := fmt.Sprintf("at least %d", f.min)
	if f.max < math.MaxInt {
		s = fmt.Sprintf("%d to %d", f.min, f.max)
	}
	if f.zeroOK && f.min > 0 {
		s += ", or 0 for the default"
	}
	return s
}

// intFlag defines an int flag whose value must be at least min (zeroOK:
// or 0, which stands for the default).
func intFlag(fs *flag.FlagSet, name string, value, min int, zeroOK bool, usage string) *int {
	return intRangeFlag(fs, name, value, min, math.MaxInt, zeroOK, usage)
}

// intRangeFlag defines an int flag whose value must lie in [min, max]
// (zeroOK: or be 0, which stands for the default).
func intRangeFlag(fs *flag.FlagSet, name string, value, min, max int, zeroOK bool, usage string) *int {
	v := new(int)
	*v = value
	fs.Var(&numFlag{get: func() int64 { return int64(*v) }, set: func(n int64) { *v = int(n) },
		min: int64(min), max: int64(max), zeroOK: zeroOK}, name, usage)
	return v
}

// sizeFlag defines a flag of a number of bytes, which must be at least
// min; its value may end in k, M or G (parseSize).
func sizeFlag(fs *flag.FlagSet, name string, value, min int64, usage string) *int64 {
	v := new(int64)
	*v = value
	fs.Var(&numFlag{get: func() int64 { return *v }, set: func(n int64) { *v = n }, min: min, max: math.MaxInt64, size: true}, name, usage)
	return v
}

// sizeUnits are the suffixes of sizes, by their factor, largest first.
var sizeUnits = []struct {
	suffix string
	factor int64
}{{"G", 1 << 30}, {"M", 1 << 20}, {"k", 1 << 10}}

// parseSize reads a number of bytes: a whole number, which may end in k
// (or K), M or G for KiB, MiB or GiB (16M is 16777216).
func parseSize(s string) (int64, error) {
	factor := int64(1)
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok || u.suffix == "k" && strings.HasSuffix(s, "K") {
			if !ok {
				rest = s[:len(s)-1]
			}
			s, factor = rest, u.factor
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, err
	}
	if n > math.MaxInt64/factor || n < math.MinInt64/factor {
		return 0, strconv.ErrRange
	}
	return n * factor, nil
}

// formatSize writes a number of bytes as parseSize reads it, with the
// largest suffix that divides it (16777216 is 16M).
func formatSize(n int64) string {
	for _, u := range sizeUnits {
		if n != 0 && n%u.factor == 0 {
			return strconv.FormatInt(n/u.factor, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

// durationFlag is a time.Duration flag that refuses negative durations.
type durationFlag struct{ v *time.Duration }

func (d *durationFlag) String() string {
	if d == nil || d.v == nil {
		return "0s"
	}
	return d.v.String()
}

func (d *durationFlag) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration such as 500ms, 5s or 1m")
	}
	if v < 0 {
		return fmt.Errorf("want a duration of 0 or more")
	}
	*d.v = v
	return nil
}

// lockTimeoutFlag defines --lock-timeout, which every command that opens
// a database has, with its default of 5s.
func lockTimeoutFlag(fs *flag.FlagSet, usage string) *time.Duration {
	v := new(time.Duration)
	*v = 5 * time.Second
	fs.Var(&durationFlag{v}, "lock-timeout", usage)
	return v
}
