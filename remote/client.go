package remote

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/snipscan/snipscan/corpus"
	"github.com/snipscan/snipscan/match"
)

// Client scans through a scan server. It suits scanner.Corpus: it
// matches each batch on the server and marks the findings' sources
// there.
type Client struct {
	base  *url.URL
	token string
	http  *http.Client
	info  Info
	// noRewrites leaves the rewrite stage out of scans (scan
	// --no-rewrites), whether or not the server finds rewrites.
	noRewrites bool
}

// ErrServer is wrapped by the errors of a server's answer: a refused
// token, a request over its limit, a bad request, a version of the
// protocol it does not speak.
var ErrServer = errors.New("scan server")

// Dial returns a client of the server at rawURL (http or https), which
// sends token (if not empty) as a bearer token, once the server has said
// what it serves and that it speaks this version of the protocol.
func Dial(ctx context.Context, rawURL, token string) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("--server %q: want an http:// or https:// URL", rawURL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	c := &Client{base: u, token: token, http: &http.Client{}}
	body, err := c.do(ctx, http.MethodGet, "/v1/info", "", nil)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, &c.info); err != nil {
		return nil, fmt.Errorf("%w %s: not a snipscan server's answer to /v1/info: %v", ErrServer, c.base.Redacted(), err)
	}
	if c.info.Version != Version {
		return nil, fmt.Errorf("%w %s speaks protocol version %d, this snipscan version %d: %w", ErrServer, c.base.Redacted(), c.info.Version, Version, ErrVersion)
	}
	return c, nil
}

// Info returns what the server said of itself.
func (c *Client) Info() Info { return c.info }

// SkipRewrites leaves the rewrite stage out of the client's scans: they
// find copies only, and send no function's features.
func (c *Client) SkipRewrites() { c.noRewrites = true }

// Rewrites says whether the client's scans search rewritten functions:
// the server finds them and SkipRewrites was not called.
func (c *Client) Rewrites() bool { return c.info.Rewrites && !c.noRewrites }

// Params returns the fingerprint parameters of the server's corpus.
func (c *Client) Params() corpus.Params { return c.info.Params }

// Path names the corpus the server reads, as the server names it (a
// local scan of the same database names it alike).
func (c *Client) Path() string { return c.info.Corpus }

// Match sends targets to the server and returns its results, in the
// order of targets, under their own paths. Of opts, MinTokens and MaxDF
// are sent, and whether the findings' edges are aligned with the sources'
// text (SourceText set). When the server finds rewrites, the units of
// the Go targets whose findings leave lines uncovered are extracted from
// their Text (or taken from their Units) and sent in a second request,
// as match.Match extracts them.
func (c *Client) Match(ctx context.Context, targets []match.Target, opts match.Options) ([]match.Result, error) {
	req := &Request{Params: c.info.Params, MinTokens: opts.MinTokens, MaxDF: opts.MaxDF, SourceText: opts.SourceText != nil,
		UnitsLater: c.info.Rewrites, Targets: targets}
	results, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	if c.Rewrites() {
		if err := c.rewrites(ctx, targets, results); err != nil {
			return nil, err
		}
	}
	for i := range results {
		results[i].Path = targets[i].Path
	}
	return results, nil
}

// rewrites asks the server for the rewrite findings of the units of the
// targets whose findings in results leave lines uncovered, and adds them
// to results, counting their tokens.
func (c *Client) rewrites(ctx context.Context, targets []match.Target, results []match.Result) error {
	req := &Request{Params: c.info.Params, RewritesOnly: true}
	var of []int // the target of each of req.Targets
	for i := range targets {
		t := &targets[i]
		units := t.Units
		if units == nil && t.Text != nil && !match.CoversAll(results[i].Findings, t.Lines) {
			units = match.Units(t.Path, t.Text)
		}
		if len(units) == 0 {
			continue
		}
		var found [][2]int
		for _, f := range results[i].Findings {
			found = append(found, f.Lines)
		}
		req.Targets = append(req.Targets, match.Target{Lang: t.Lang, Lines: t.Lines, Size: t.Size, Units: units})
		req.Found, of = append(req.Found, found), append(of, i)
	}
	if len(of) == 0 {
		return nil
	}
	res, err := c.send(ctx, req)
	if err != nil {
		return err
	}
	for k, i := range of {
		for _, f := range res[k].Findings {
			f.Tokens = match.TokensIn(&targets[i], f.Bytes[0], f.Bytes[1])
			results[i].Findings = append(results[i].Findings, f)
		}
		slices.SortStableFunc(results[i].Findings, func(a, b match.Finding) int { return cmp.Compare(a.Lines[0], b.Lines[0]) })
	}
	return nil
}

// send sends one scan request and returns the server's results, the
// words of their rewrite findings put back.
func (c *Client) send(ctx context.Context, req *Request) ([]match.Result, error) {
	data, names, err := Encode(req)
	if err != nil {
		return nil, err
	}
	var zipped bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zipped, gzip.BestSpeed)
	zw.Write(data) // a bytes.Buffer does not fail
	zw.Close()
	body, err := c.do(ctx, http.MethodPost, "/v1/scan", RequestType, zipped.Bytes())
	if err != nil {
		return nil, err
	}
	var resp Response
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("%w %s: bad answer: %v", ErrServer, c.base.Redacted(), err)
	}
	if resp.Version != Version {
		return nil, fmt.Errorf("%w %s answered in protocol version %d, want %d: %w", ErrServer, c.base.Redacted(), resp.Version, Version, ErrVersion)
	}
	if err := names.Restore(resp.Results); err != nil {
		return nil, err
	}
	return resp.Results, nil
}

// LicenseText returns a license text kept in the server's corpus.
func (c *Client) LicenseText(id string) (string, error) {
	body, err := c.do(context.Background(), http.MethodGet, "/v1/license?id="+url.QueryEscape(id), "", nil)
	return string(body), err
}

// do sends one request and returns the body of a 200 answer; any other
// status is an error that says what the server said.
func (c *Client) do(ctx context.Context, method, path, ctype string, body []byte) ([]byte, error) {
	u := c.base.String() + path
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrServer, err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Content-Encoding", "gzip")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w %s cannot be reached: %v", ErrServer, c.base.Redacted(), unwrapURL(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%w %s: reading the answer to %s: %v", ErrServer, c.base.Redacted(), path, err)
	}
	if resp.StatusCode == http.StatusOK {
		return data, nil
	}
	var eb ErrorBody
	msg := strings.TrimSpace(string(data))
	if json.Unmarshal(data, &eb) == nil && eb.Error != "" {
		msg = eb.Error
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return nil, fmt.Errorf("%w %s refused the token (401 %s): set SNIPSCAN_TOKEN to a token the server accepts", ErrServer, c.base.Redacted(), msg)
	case http.StatusRequestEntityTooLarge:
		return nil, fmt.Errorf("%w %s refused a request of %d bytes (413 %s): the server's --max-request is too small for this batch of files", ErrServer, c.base.Redacted(), len(body), msg)
	}
	return nil, fmt.Errorf("%w %s: %s %s: %d %s", ErrServer, c.base.Redacted(), method, path, resp.StatusCode, msg)
}

// unwrapURL drops the *url.Error around err: its message repeats the URL.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
