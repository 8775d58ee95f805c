package gomod

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/snipscan/snipscan/registry/httpget"
	"golang.org/x/mod/sumdb"
)

// defaultSumDBKey is the verifier key of sum.golang.org, as the go
// command knows it.
const defaultSumDBKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"

// sumDBConfig reads GOSUMDB: "off", a known database name, or
// "name+hash+key [url]". It returns the verifier key and the URL of the
// database when no proxy serves it; key "" means off.
func sumDBConfig(gosumdb string) (key, direct string, err error) {
	switch gosumdb {
	case "off":
		return "", "", nil
	case "", "sum.golang.org":
		return defaultSumDBKey, "https://sum.golang.org", nil
	case "sum.golang.google.cn":
		return defaultSumDBKey, "https://sum.golang.google.cn", nil
	}
	f := strings.Fields(gosumdb)
	if len(f) == 0 || len(f) > 2 || !strings.Contains(f[0], "+") {
		return "", "", fmt.Errorf("GOSUMDB=%q: want off, sum.golang.org, or a name+hash+key with an optional URL", gosumdb)
	}
	key = f[0]
	name, _, _ := strings.Cut(key, "+")
	direct = "https://" + name
	if len(f) == 2 {
		direct = strings.TrimSuffix(f[1], "/")
	}
	return key, direct, nil
}

// sumOps is the checksum database client's access to the network and the
// disk (sumdb.ClientOps): the database is reached through the first proxy
// of GOPROXY that serves it (<proxy>/sumdb/<name>/supported), else
// directly; its tiles are cached where the go command caches them
// (GOMODCACHE/cache/download/sumdb), and the latest signed tree head
// snipscan verified is kept in its own configuration directory.
type sumOps struct {
	ctx     context.Context
	http    *httpget.Client
	key     string
	name    string
	direct  string
	proxies []proxy
	cache   string // GOMODCACHE/cache/download/sumdb
	config  string // where "<name>/latest" is kept

	baseOnce sync.Once
	base     string
	baseErr  error

	mu       sync.Mutex // serialises WriteConfig
	security []string   // security errors reported by the client
}

// ReadRemote fetches path from the database.
func (o *sumOps) ReadRemote(path string) ([]byte, error) {
	o.baseOnce.Do(o.findBase)
	if o.baseErr != nil {
		return nil, o.baseErr
	}
	return o.http.Get(o.ctx, o.base+path, 64<<20, nil)
}

// findBase learns where the database is served, as the go command does:
// the first proxy that answers <proxy>/sumdb/<name>/supported with 200;
// a 404 or 410 (or any error, after a "|") tries the next; "direct",
// "off" or the end of the list reach the database itself.
func (o *sumOps) findBase() {
	for _, p := range o.proxies {
		if p.url == "direct" || p.url == "off" {
			break
		}
		base := p.url + "/sumdb/" + o.name
		_, err := o.http.Get(o.ctx, base+"/supported", 1<<10, nil)
		if err == nil {
			o.base = base
			return
		}
		if !p.anyError && !httpget.NotFound(err) {
			o.baseErr = fmt.Errorf("checksum database %s through %s: %w", o.name, p.url, err)
			return
		}
	}
	o.base = o.direct
}

// ReadConfig returns the key, or the latest signed tree head known.
func (o *sumOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.key), nil
	}
	data, err := os.ReadFile(filepath.Join(o.config, filepath.FromSlash(file)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil // start from an empty tree
	}
	return data, err
}

// WriteConfig replaces the latest signed tree head old by new.
func (o *sumOps) WriteConfig(file string, old, new []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	cur, err := o.ReadConfig(file)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, old) {
		return sumdb.ErrWriteConflict
	}
	return writeAtomic(filepath.Join(o.config, filepath.FromSlash(file)), new)
}

// ReadCache reads a cached tile or lookup.
func (o *sumOps) ReadCache(file string) ([]byte, error) {
	return os.ReadFile(filepath.Join(o.cache, filepath.FromSlash(file)))
}

// WriteCache caches a tile or lookup (best effort: a cache).
func (o *sumOps) WriteCache(file string, data []byte) {
	_ = writeAtomic(filepath.Join(o.cache, filepath.FromSlash(file)), data)
}

// Log discards the client's notes.
func (o *sumOps) Log(string) {}

// SecurityError records what the client found wrong with the database
// (a fork, an inconsistent tree); the lookup then fails with
// sumdb.ErrSecurity.
func (o *sumOps) SecurityError(msg string) {
	o.mu.Lock()
	o.security = append(o.security, msg)
	o.mu.Unlock()
}

// writeAtomic writes data to path through a temporary file renamed into
// place, creating the directories it needs.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
