package main

// End-to-end tests of license statements that mention a choice without
// offering it for the code at hand: a file's own grant beside the
// licensing of a part it took from elsewhere, and a README that tells how
// a bundled file is licensed. A copy of such code fails the built-in
// policy as the copyleft code it is.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// writePackageFiles writes files (name -> text) into a new directory dir/name
// and returns it.
func writePackageFiles(t *testing.T, name string, files map[string][]byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for n, text := range files {
		if err := os.WriteFile(filepath.Join(dir, n), text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// licenseCommandSays runs snipscan license --format json on one file and returns
// the license and its source.
func licenseCommandSays(t *testing.T, path string) (string, string) {
	t.Helper()
	r := snipscan(t, nil, "license", "--format", "json", path)
	var doc struct {
		Files []struct {
			License       string `json:"license"`
			LicenseSource string `json:"license_source"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Files) != 1 {
		t.Fatalf("snipscan license %s: %v (exit %d) %s %s", path, err, r.code, r.stdout, r.stderr)
	}
	return doc.Files[0].License, doc.Files[0].LicenseSource
}

// TestGrantBesideAPartsChoice indexes files whose header grants GPL-2.0
// and then says where a part came from and how that origin may be used
// ("which is dual licensed under the GPL-2.0 or the MIT license"): a copy
// of the code is GPL-2.0-only and fails the built-in policy (it was
// GPL-2.0-only OR MIT, evaluated as MIT: a warning, exit 0), and
// snipscan license says of the file what the index recorded.
func TestGrantBesideAPartsChoice(t *testing.T) {
	body, _, _ := goFunc(t, "text/tabwriter/tabwriter.go", "format")
	headers := map[string]string{
		"a GNU notice": "/*\n * Copyright (C) 2019 Ada Example\n *\n" +
			" * This program is free software; you can redistribute it and/or modify\n" +
			" * it under the terms of the GNU General Public License version 2 as\n" +
			" * published by the Free Software Foundation.\n *\n" +
			" * Based on the widget code of libfoo, which is dual licensed under the\n * GPL-2.0 or the MIT license.\n */\n\n",
		"an SPDX tag": "// Copyright 2020 Ada Example\n// SPDX-License-Identifier: GPL-2.0-only\n" +
			"// The original version of this file was available under the MIT or GPL-2.0 license.\n\n",
	}
	for name, header := range headers {
		t.Run(name, func(t *testing.T) {
			pkg := writePackageFiles(t, "frob", map[string][]byte{"format.go": []byte(header + "package frob\n\n" + body + "\n")})
			doc, code := scanChoice(t, pkg, pasteTarget(t, body))
			f := doc.Files[0].Matches[0]
			if f.Source.License != "GPL-2.0-only" || code != 1 || f.Policy.Verdict != "fail" || f.Policy.LicenseChoice != "" {
				t.Errorf("license %q, exit %d, policy %+v; want GPL-2.0-only failing, exit 1", f.Source.License, code, f.Policy)
			}
			if lic, _ := licenseCommandSays(t, filepath.Join(pkg, "format.go")); lic != f.Source.License {
				t.Errorf("snipscan license: %q, the index: %q", lic, f.Source.License)
			}
		})
	}
}

// TestReadmeChoiceOfABundledFile indexes a package under the GPL-3.0
// (Debian's text as LICENSE) whose README says that a bundled file may be
// used under either the MIT license or the GPL-3.0, in its license
// section or in a section on dependencies: a copy of the package's code
// is GPL-3.0-only and fails the built-in policy (it was GPL-3.0-only OR
// MIT, a warning, exit 0).
func TestReadmeChoiceOfABundledFile(t *testing.T) {
	gpl3, err := os.ReadFile("/usr/share/common-licenses/GPL-3")
	if err != nil {
		t.Skipf("Debian common licenses: %v", err)
	}
	body, _, _ := goFunc(t, "text/tabwriter/tabwriter.go", "format")
	readmes := map[string]string{
		"license section": "# frob\n\n## License\n\nCopyright (C) 2020 Ada Example. This program is licensed under the GNU General Public License v3.0.\n\n" +
			"The bundled sizzle.js is available under either the MIT license or the GPL-3.0, at your option.\n",
		"dependencies section": "# frob\n\nfrob formats columns. It is free software under the GNU GPL v3.\n\n## Dependencies\n\n" +
			"frob vendors libfoo, which may be used under either the MIT license or the GPL-3.0, at your option.\n",
	}
	for name, readme := range readmes {
		t.Run(name, func(t *testing.T) {
			pkg := writePackageFiles(t, "frob", map[string][]byte{
				"LICENSE":   gpl3,
				"README.md": []byte(readme),
				"format.go": []byte("package frob\n\n" + body + "\n"),
			})
			doc, code := scanChoice(t, pkg, pasteTarget(t, body))
			f := doc.Files[0].Matches[0]
			if f.Source.License != "GPL-3.0-only" || code != 1 || f.Policy.Verdict != "fail" {
				t.Errorf("license %q, exit %d, policy %+v; want GPL-3.0-only failing, exit 1", f.Source.License, code, f.Policy)
			}
		})
	}
}
