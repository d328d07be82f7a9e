// Tiny helper (gotv tests): convert the "trace" member of a Go golden .test
// txtar file to binary trace bytes; prints the "expect" member to stderr.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"internal/trace/raw"
	"internal/txtar"
)

func main() {
	ar, err := txtar.ParseFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, f := range ar.Files {
		if f.Name == "expect" {
			os.Stderr.Write(f.Data)
		}
		if f.Name != "trace" {
			continue
		}
		tr, err := raw.NewTextReader(bytes.NewReader(f.Data))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		w, err := raw.NewWriter(os.Stdout, tr.Version())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for {
			ev, err := tr.ReadEvent()
			if err == io.EOF {
				break
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			if err := w.WriteEvent(ev); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	}
}
