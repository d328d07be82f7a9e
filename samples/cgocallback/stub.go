//go:build !cgo

// Command cgocallback needs cgo (CGO_ENABLED=1 and a C compiler); this build
// only says so.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "cgocallback: built without cgo; build it with CGO_ENABLED=1 and a C compiler")
	os.Exit(1)
}
