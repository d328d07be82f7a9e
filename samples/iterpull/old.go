//go:build !go1.23

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "iterpull needs Go 1.23 or later (iter.Pull)")
	os.Exit(2)
}
