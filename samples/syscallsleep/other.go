//go:build !linux

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "syscallsleep uses syscall.Nanosleep and only runs on Linux")
	os.Exit(2)
}
