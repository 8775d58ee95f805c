package main

import (
	"flag"
	"fmt"
	"math"
	"strconv"
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
}

func (f *numFlag) String() string {
	if f == nil || f.get == nil {
		return "0"
	}
	return strconv.FormatInt(f.get(), 10)
}

func (f *numFlag) Set(s string) error {
	n, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
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

// int64Flag defines an int64 flag whose value must be at least min.
func int64Flag(fs *flag.FlagSet, name string, value, min int64, usage string) *int64 {
	v := new(int64)
	*v = value
	fs.Var(&numFlag{get: func() int64 { return *v }, set: func(n int64) { *v = n }, min: min, max: math.MaxInt64}, name, usage)
	return v
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
