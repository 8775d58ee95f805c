package httpget

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestRedirectDropsCredentials follows a redirect to another port of the
// same host: the credentials set on the request do not go with it (net/http
// itself keeps them for the same host name), while a redirect within the
// server keeps them.
func TestRedirectDropsCredentials(t *testing.T) {
	var got []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, "other "+r.Header.Get("Authorization"))
		w.Write([]byte("ok"))
	}))
	defer other.Close()
	reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Path+" "+r.Header.Get("Authorization"))
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/pkg", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/pkg", http.StatusFound)
		default:
			w.Write([]byte("ok"))
		}
	}))
	defer reg.Close()
	c := New(1, 0)
	auth := http.Header{"Authorization": {"Bearer secret"}}
	for _, path := range []string{"/here", "/away"} {
		if _, err := c.Get(context.Background(), reg.URL+path, 1<<10, auth); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"/here Bearer secret", "/pkg Bearer secret", "/away Bearer secret", "other "}
	if len(got) != len(want) {
		t.Fatalf("requests %q; want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d: %q; want %q", i, got[i], want[i])
		}
	}
}
