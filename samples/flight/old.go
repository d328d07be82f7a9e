//go:build !go1.25

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "flight needs Go 1.25 or later (trace.FlightRecorder)")
	os.Exit(2)
}
