// Package httpget fetches registry resources over HTTP (or from file://
// URLs, as GOPROXY allows), retrying transient failures with backoff and
// counting the bytes it reads, for progress.
package httpget

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// Client fetches URLs. Its zero value is not usable: use New.
type Client struct {
	http     *http.Client
	attempts int
	backoff  time.Duration
	// Bytes counts the bytes of response bodies read, across goroutines.
	Bytes atomic.Int64
}

// New returns a client that makes up to attempts tries of a request that
// fails transiently (a network error, 429, 5xx), waiting backoff, then
// twice as long, between them.
func New(attempts int, backoff time.Duration) *Client {
	return &Client{http: &http.Client{Timeout: 10 * time.Minute, CheckRedirect: keepCredentials}, attempts: max(attempts, 1), backoff: backoff}
}

// keepCredentials follows up to 10 redirects, as net/http does, and
// drops a request's credentials (Authorization) when a redirect leaves
// the scheme, host and port they were sent to: net/http keeps them for
// the same host name over plain HTTP or another port.
func keepCredentials(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
		req.Header.Del("Authorization")
	}
	return nil
}

// StatusError is an HTTP response other than 200.
type StatusError struct {
	URL  string
	Code int
	Body string // the start of the response body, which may say why
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s: %s", e.URL, http.StatusText(e.Code))
	if e.Code != 0 {
		msg = fmt.Sprintf("%s: %d %s", e.URL, e.Code, http.StatusText(e.Code))
	}
	if b := strings.TrimSpace(e.Body); b != "" {
		msg += ": " + b
	}
	return msg
}

// NotFound reports whether err is a 404 or 410 response: the resource
// does not exist there.
func NotFound(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && (se.Code == http.StatusNotFound || se.Code == http.StatusGone)
}

// transient reports whether a failed request may succeed if tried again.
func transient(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || se.Code >= 500
	}
	var tooLarge *TooLargeError
	return !errors.As(err, &tooLarge)
}

// TooLargeError is a response over the size limit of its request.
type TooLargeError struct {
	URL   string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than %d bytes", e.URL, e.Limit)
}

// Get returns the body of url, at most limit bytes, with header set on
// the request (may be nil).
func (c *Client) Get(ctx context.Context, rawURL string, limit int64, header http.Header) ([]byte, error) {
	var body []byte
	err := c.retry(ctx, func() error {
		var b strings.Builder
		if err := c.once(ctx, rawURL, limit, header, &b); err != nil {
			return err
		}
		body = []byte(b.String())
		return nil
	})
	return body, err
}

// Download writes the body of url, at most limit bytes, into f from its
// start, truncating what an attempt that failed wrote; header is set on
// the request (may be nil).
func (c *Client) Download(ctx context.Context, rawURL string, limit int64, header http.Header, f *os.File) error {
	return c.retry(ctx, func() error {
		if err := f.Truncate(0); err != nil {
			return err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		return c.once(ctx, rawURL, limit, header, f)
	})
}

// retry runs try until it succeeds, fails for good, or has been made
// c.attempts times.
func (c *Client) retry(ctx context.Context, try func() error) error {
	wait := c.backoff
	var err error
	for i := 0; i < c.attempts; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return errors.Join(err, ctx.Err())
			case <-time.After(wait):
			}
			wait *= 2
		}
		if err = try(); err == nil || !transient(ctx, err) {
			return err
		}
	}
	return fmt.Errorf("%w (after %d attempts)", err, c.attempts)
}

// once makes one request of url and copies its body to w.
func (c *Client) once(ctx context.Context, rawURL string, limit int64, header http.Header, w io.Writer) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	if u.Scheme == "file" {
		return c.file(u, limit, w)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return &StatusError{URL: redacted(u), Code: resp.StatusCode, Body: string(msg)}
	}
	return c.copy(w, resp.Body, redacted(u), limit)
}

// file reads a file:// URL: a missing file is a 404, as GOPROXY's file
// protocol says.
func (c *Client) file(u *url.URL, limit int64, w io.Writer) error {
	f, err := os.Open(u.Path)
	if errors.Is(err, os.ErrNotExist) {
		return &StatusError{URL: u.String(), Code: http.StatusNotFound}
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return c.copy(w, f, u.String(), limit)
}

// copy copies r to w, counting the bytes, and fails past limit.
func (c *Client) copy(w io.Writer, r io.Reader, name string, limit int64) error {
	n, err := io.Copy(w, &counter{r: io.LimitReader(r, limit+1), n: &c.Bytes})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if n > limit {
		return &TooLargeError{URL: name, Limit: limit}
	}
	return nil
}

// redacted is u without its user information.
func redacted(u *url.URL) string {
	return u.Redacted()
}

// counter counts the bytes read through it.
type counter struct {
	r io.Reader
	n *atomic.Int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
