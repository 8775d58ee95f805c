module github.com/snipscan/snipscan

go 1.26.0

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/github/go-spdx/v2 v2.8.0
	github.com/google/licensecheck v0.3.1
	github.com/package-url/packageurl-go v0.1.7
	github.com/schollz/progressbar/v3 v3.19.1
	go.etcd.io/bbolt v1.5.0
	golang.org/x/term v0.47.0
)

require (
	github.com/mitchellh/colorstring v0.0.0-20190213212951-d06e56a500db // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
