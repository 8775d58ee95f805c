package indexer_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/snipscan/snipscan/indexer"
	"github.com/snipscan/snipscan/internal/testnet"
	"github.com/snipscan/snipscan/license"
)

// npmPackage packs an npm package version with the machine's npm and
// returns the directory it unpacks to (see testnet.NPMPack: the test is
// skipped where npm or its registry is missing).
func npmPackage(t *testing.T, spec string) string {
	t.Helper()
	dir := t.TempDir()
	tgz := testnet.NPMPack(t, dir, spec)
	if out, err := exec.Command("tar", "-xzf", tgz, "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("unpack %s: %v %s", tgz, err, out)
	}
	return filepath.Join(dir, "package")
}

// TestSampleCodeLicense indexes the real lodash 4.17.21 (npm pack):
// its LICENSE holds the MIT text for the software, then waives rights in
// the sample code of its documentation via CC0. The code is MIT: the CC0
// of the documentation's samples does not apply to it (it was "CC0-1.0
// AND MIT").
func TestSampleCodeLicense(t *testing.T) {
	t.Parallel()
	root := npmPackage(t, "lodash@4.17.21")
	db := openDB(t)
	index(t, db, indexer.Options{}, root)
	locs := locations(t, db)
	for _, rel := range []string{"package/chunk.js", "package/_baseSlice.js", "package/fp/placeholder.js"} {
		l, ok := locs[rel]
		if !ok {
			t.Errorf("%s not indexed", rel)
			continue
		}
		if l.Attribution.License != "MIT" || l.Attribution.Source != license.SourceLicenseFile {
			t.Errorf("%s: %q from %s, want MIT from the license file", rel, l.Attribution.License, l.Attribution.Source)
		}
		if l.Package == nil || l.Package.License != "MIT" {
			t.Errorf("%s: package %+v, want MIT", rel, l.Package)
		}
	}
	data, err := os.ReadFile(filepath.Join(root, "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := indexer.DirLicense(license.New(), []string{"LICENSE"}, func(string) ([]byte, error) { return data, nil }); got != "MIT" {
		t.Errorf("lodash as a project: license %q, want MIT", got)
	}
}

// TestGoAuthorsHeaderInGPLModule indexes common/ktls of the real
// github.com/sagernet/sing-box v1.14.1 (a GPL-3.0-or-later module, from
// the Go module proxy), whose files come from Go's crypto/tls with their
// header: "Copyright 2009 The Go Authors ... governed by a BSD-style
// license that can be found in the LICENSE file". The LICENSE found is
// sing-box's GPL, which is not BSD-style: those files keep the Go
// Authors' BSD-3-Clause, from their header (they were GPL-3.0-or-later
// from sing-box's LICENSE, and a copy of them failed), while ktls.go,
// which has no header, is GPL-3.0-or-later from the license file.
func TestGoAuthorsHeaderInGPLModule(t *testing.T) {
	t.Parallel()
	dir := testnet.ModuleDir(t, "github.com/sagernet/sing-box@v1.14.1")
	db := openDB(t)
	index(t, db, indexer.Options{}, filepath.Join(dir, "common", "ktls"))
	locs := locations(t, db)
	l, ok := locs["ktls/ktls_handshake_messages.go"]
	if !ok {
		t.Fatal("ktls_handshake_messages.go not indexed")
	}
	a := l.Attribution
	if a.License != "BSD-3-Clause" || a.Source != license.SourceHeader || a.LicenseRef != "" || !slices.Contains(a.Holders, "The Go Authors") {
		t.Errorf("ktls_handshake_messages.go: %+v, want BSD-3-Clause from the file header, The Go Authors", a)
	}
	l, ok = locs["ktls/ktls.go"]
	if !ok {
		t.Fatal("ktls.go not indexed")
	}
	if a := l.Attribution; a.License != "GPL-3.0-or-later" || a.Source != license.SourceLicenseFile {
		t.Errorf("ktls.go: %+v, want GPL-3.0-or-later from the license file", a)
	}
	if l.Package == nil || l.Package.License != "GPL-3.0-or-later" {
		t.Errorf("package %+v, want GPL-3.0-or-later", l.Package)
	}
}

// TestProprietaryLicenseFile indexes a package whose LICENSE is a
// proprietary agreement that names the GPL of a third-party component,
// denies the GPL, or contrasts another product released under it: its
// code is not GPL (it was GPL-3.0-or-later, from the mention), and the
// project that holds such a LICENSE has no license snipscan knows. The
// agreements are this project's own words.
func TestProprietaryLicenseFile(t *testing.T) {
	t.Parallel()
	const eula = "ACME END USER LICENSE AGREEMENT\n\nCopyright (c) 2024 ACME Corporation. All rights reserved.\n\n" +
		"This software is the confidential and proprietary information of ACME Corporation.\n\n"
	texts := map[string]string{
		"a component":     eula + "THIRD-PARTY COMPONENTS\n\nThis product includes libfoo, which is licensed under the GNU General\nPublic License version 3 or (at your option) any later version.\n",
		"a negation":      eula + "This software is NOT distributed under the GNU General Public License v3 or later.\n",
		"another product": eula + "Unlike our open-source SDK (released under the GNU GPL v3 or later), this product is closed source.\n",
	}
	for name, text := range texts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			root := filepath.Join(t.TempDir(), "frob")
			put(t, root, "LICENSE", []byte(text))
			put(t, root, "frob.go", []byte(code))
			db := openDB(t)
			index(t, db, indexer.Options{}, root)
			l, ok := locations(t, db)["frob/frob.go"]
			if !ok {
				t.Fatal("frob.go not indexed")
			}
			if l.Attribution.License != "" {
				t.Errorf("license %q from %s, want none", l.Attribution.License, l.Attribution.Source)
			}
			if !slices.Contains(l.Attribution.Holders, "ACME Corporation") {
				t.Errorf("holders %q, want ACME Corporation", l.Attribution.Holders)
			}
			got, found := indexer.DirLicense(license.New(), []string{"LICENSE"}, func(string) ([]byte, error) { return []byte(text), nil })
			if got != "" || !found {
				t.Errorf("as a project: license %q (license file found: %v), want none", got, found)
			}
		})
	}
}
