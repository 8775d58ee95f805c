package gomod

import (
	"errors"
	"fmt"
	"strings"

	"github.com/snipscan/snipscan/registry/httpget"
	"golang.org/x/mod/module"
)

// proxy is one entry of GOPROXY.
type proxy struct {
	url string // a URL, "direct" or "off"
	// anyError: the next entry is tried after any error ("|"), not only
	// after a 404 or 410 (",").
	anyError bool
}

// parseProxies reads GOPROXY.
func parseProxies(s string) ([]proxy, error) {
	var out []proxy
	for s != "" {
		i := strings.IndexAny(s, ",|")
		entry, sep := s, byte(0)
		if i >= 0 {
			entry, sep, s = s[:i], s[i], s[i+1:]
		} else {
			s = ""
		}
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		out = append(out, proxy{url: strings.TrimSuffix(entry, "/"), anyError: sep == '|'})
	}
	if len(out) == 0 {
		return nil, errors.New("GOPROXY lists no proxy")
	}
	return out, nil
}

// errDirect says that a module is to be fetched from its origin, not a
// proxy ("direct" in GOPROXY, or GONOPROXY).
var errDirect = errors.New("direct")

// errOff says that GOPROXY forbids downloads ("off").
var errOff = errors.New("module downloads disabled by GOPROXY=off")

// tryProxies calls try with each proxy a module path is fetched through,
// in GOPROXY's order, until one succeeds or fails in a way that does not
// fall through to the next; it returns errDirect when the module is to be
// fetched from its origin.
func (f *Fetcher) tryProxies(path string, try func(base string) error) error {
	if module.MatchPrefixPatterns(f.env.NoProxy, path) {
		return errDirect
	}
	var errs []error
	for _, p := range f.proxies {
		switch p.url {
		case "direct":
			return errDirect
		case "off":
			return errors.Join(append(errs, errOff)...)
		}
		err := try(p.url)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
		if !p.anyError && !httpget.NotFound(err) {
			break
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return fmt.Errorf("every proxy failed: %w", errors.Join(errs...))
}
