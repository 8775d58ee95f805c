package main

import "testing"

// TestForkLabel checks the label read from a fork file's header: The Go
// Authors' copyright, or a statement that the file was copied from the Go
// distribution, anywhere above the package clause and nowhere below it.
func TestForkLabel(t *testing.T) {
	std := map[string]bool{"go/build": true, "flag": true, "net": true, "crypto/tls": true}
	for _, tt := range []struct {
		src, want string
	}{
		{"// Copyright 2018 The Go Authors. All rights reserved.\n\npackage tls\n", "go-authors"},
		{"// Copyright 2013 Julien Schmidt. All rights reserved.\n// Based on the path package, Copyright 2009 The Go Authors.\n\npackage httprouter\n", "go-authors"},
		{"// Copyright 2018 The Go Authors.\n\n// Copied from Go distribution src/go/build/read.go.\n\npackage imports\n", "go-authors+copied-from"},
		{"/*\nThis file was forked from the flag package\n*/\npackage pflag\n", "copied-from"},
		{"// Derived from Inferno utils/6l/l.h and related files.\n\npackage obj\n", ""},
		{"// This file is derived from github.com/google/btree.\n\npackage btree\n", ""},
		{"package pflag\n\n// following is copied from go 1.23.4 flag.go\n// Copyright 2009 The Go Authors\n", ""},
		{"// Copyright 2016 The Kubernetes Authors.\n\npackage net\n", ""},
	} {
		copied, why := forkLabel([]byte(tt.src), std)
		if why != tt.want || copied != (tt.want != "") {
			t.Errorf("%q: %v %q, want %q", tt.src, copied, why, tt.want)
		}
	}
}
