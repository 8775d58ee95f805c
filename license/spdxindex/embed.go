package spdxindex

import _ "embed"

//go:generate go run ../../internal/spdxgen -o index.bin

// encoded is the index compiled by internal/spdxgen.
//
//go:embed index.bin
var encoded []byte

// Embedded returns the encoded index compiled into the binary.
func Embedded() []byte { return encoded }
