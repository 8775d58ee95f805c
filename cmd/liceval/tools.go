package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/google/licensecheck"
	"github.com/snipscan/snipscan/fingerprint"
	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/internal/debianlc"
	"github.com/snipscan/snipscan/license"
)

// A tool classifies every case of a set, in order.
type tool struct {
	name    string
	holders bool // whether the tool reports copyright holders
	run     func(ctx context.Context, cases []evalCase) ([]prediction, error)
}

// parallel runs fn on every case with one worker per core.
func parallel(ctx context.Context, cases []evalCase, fn func(evalCase) prediction) ([]prediction, error) {
	out := make([]prediction, len(cases))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = fn(cases[i])
			}
		}()
	}
	var err error
feed:
	for i := range cases {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	return out, err
}

// headerOf returns the comment header of a source file, as an index run
// reads it: the bytes before its first code token, at most
// license.MaxHeader.
func headerOf(name string, text []byte) []byte {
	head := text[:min(len(text), license.MaxHeader)]
	lang := fingerprint.DetectLang(name, head)
	return head[:fingerprint.HeaderEnd(lang, head)]
}

// snipscanTool classifies cases as snipscan does: LicenseFile for license
// files, Text for other texts, Header for a source file's header, and
// indexer.DirLicense for a package directory.
func snipscanTool() tool {
	cls := license.New()
	return tool{name: "snipscan", holders: true, run: func(ctx context.Context, cases []evalCase) ([]prediction, error) {
		return parallel(ctx, cases, func(c evalCase) prediction {
			var r license.Result
			switch c.kind {
			case kindPackage:
				expr, _ := indexer.DirLicense(cls, c.names, func(n string) ([]byte, error) {
					return os.ReadFile(filepath.Join(c.dir, n))
				})
				return prediction{expr: expr, ids: leaves(expr)}
			case kindFile:
				r = cls.LicenseFile(c.text)
			case kindHeader:
				r = cls.Header(headerOf(c.file, c.text))
			default:
				r = cls.Text(c.text)
			}
			return prediction{expr: r.Expression, ids: leaves(r.Expression), holders: r.Holders}
		})
	}}
}

// googleTool runs github.com/google/licensecheck v0.3.1's Scan alone: on
// the text, on a source file's header, or on each license file of a
// package (the union of their matches).
func googleTool() tool {
	return tool{name: "google/licensecheck v0.3.1 `Scan`", run: func(ctx context.Context, cases []evalCase) ([]prediction, error) {
		return parallel(ctx, cases, func(c evalCase) prediction {
			var ids []string
			scan := func(text []byte) {
				for _, m := range licensecheck.Scan(text).Match {
					ids = append(ids, googleID(m.ID))
				}
			}
			switch c.kind {
			case kindPackage:
				for _, n := range licenseFiles(c.names) {
					if b, err := os.ReadFile(filepath.Join(c.dir, n)); err == nil {
						scan(b)
					}
				}
			case kindHeader:
				scan(headerOf(c.file, c.text))
			default:
				scan(c.text)
			}
			return prediction{ids: sortedSet(ids)}
		})
	}}
}

// googleID converts a licensecheck license name to a canonical SPDX ID;
// names SPDX does not know become LicenseRef-licensecheck-NAME.
func googleID(id string) string {
	if c, ok := canonical(id); ok {
		return c
	}
	return "LicenseRef-licensecheck-" + id
}

// licenseFiles returns the license and notice files among names.
func licenseFiles(names []string) []string {
	var out []string
	for _, n := range names {
		if license.IsLicenseFile(n) || license.IsNoticeFile(n) {
			out = append(out, n)
		}
	}
	return out
}

// debianTool runs Debian's licensecheck (Perl) when it is installed:
// whole files for texts and license files, its default first lines for
// source files. Its Debian short names are converted as the Debian set's
// labels are; a name that does not convert stays a LicenseRef, a wrong
// answer.
func debianTool() (tool, error) {
	if err := debianlc.Installed(); err != nil {
		return tool{}, err
	}
	return tool{name: "Debian `licensecheck` " + debianlc.Version(), holders: true, run: runDebian}, nil
}

func runDebian(ctx context.Context, cases []evalCase) ([]prediction, error) {
	dir, err := os.MkdirTemp("", "liceval-debian-")
	if err != nil {
		return nil, fmt.Errorf("debian licensecheck: %w", err)
	}
	defer os.RemoveAll(dir)
	files := make([][]string, len(cases))
	var whole, heads []string
	for i, c := range cases {
		switch c.kind {
		case kindPackage:
			for _, n := range licenseFiles(c.names) {
				files[i] = append(files[i], filepath.Join(c.dir, n))
			}
			whole = append(whole, files[i]...)
		default:
			d := filepath.Join(dir, fmt.Sprint(i))
			if err := os.Mkdir(d, 0o755); err != nil {
				return nil, fmt.Errorf("debian licensecheck: %w", err)
			}
			p := filepath.Join(d, filepath.Base(c.file))
			if err := os.WriteFile(p, c.text, 0o644); err != nil {
				return nil, fmt.Errorf("debian licensecheck: %w", err)
			}
			files[i] = []string{p}
			if c.kind == kindHeader {
				heads = append(heads, p)
			} else {
				whole = append(whole, p)
			}
		}
	}
	res, err := debianlc.Run(ctx, whole, []string{"--lines", "0"})
	if err != nil {
		return nil, err
	}
	headRes, err := debianlc.Run(ctx, heads, nil)
	if err != nil {
		return nil, err
	}
	maps.Copy(res, headRes)
	out := make([]prediction, len(cases))
	for i := range cases {
		var p prediction
		for _, f := range files[i] {
			r := res[f]
			p.ids = append(p.ids, debianPrediction(r.License)...)
			p.holders = append(p.holders, debianHolders(r.Copyright)...)
		}
		p.ids = sortedSet(p.ids)
		out[i] = p
	}
	return out, nil
}

// debianPrediction converts Debian licensecheck's license field ("GPL-2+",
// "Apache-2.0 and/or Expat", "BSD-3-clause~Google") to SPDX leaves.
func debianPrediction(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" || s == "UNKNOWN" || strings.HasPrefix(s, "*") {
		return nil
	}
	var out []string
	for _, tok := range splitDebianExpr(s) {
		if tok == "or" || tok == "and" || tok == "and/or" {
			continue
		}
		name, _, _ := strings.Cut(tok, "~")
		if e, unknown := debianToSPDX(name); unknown == "" {
			out = append(out, leaves(e)...)
		} else if strings.EqualFold(name, "public-domain") {
			out = append(out, "LicenseRef-Public-Domain")
		} else {
			out = append(out, "LicenseRef-debian-"+strings.Map(refRune, name))
		}
	}
	return out
}

// refRune keeps the characters a LicenseRef may hold.
func refRune(r rune) rune {
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
		return r
	}
	return '-'
}

// debianHolders extracts holders from Debian licensecheck's copyright
// field ("2019-2024 Jane Doe / 2020, Bob").
func debianHolders(s string) []string {
	if s == "" || strings.HasPrefix(s, "*") {
		return nil
	}
	var out []string
	for _, part := range strings.Split(s, " / ") {
		if h := stripStatement(part); h != "" {
			out = append(out, h)
		}
	}
	return out
}
