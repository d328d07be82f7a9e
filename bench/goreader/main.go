// Command goreader reads every event of a Go execution trace with
// golang.org/x/exp/trace (Go's own reader, exported) and prints the number
// of events and the time taken. bench/run.sh uses it as the reference that
// gotv's loader is compared with.
//
// Usage: goreader [-gen] FILE
//
// Output (one line): "events N bytes B seconds S"; with -gen also the number
// of generations (Sync events).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/exp/trace"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: goreader FILE")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "goreader:", err)
		os.Exit(1)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		fmt.Fprintln(os.Stderr, "goreader:", err)
		os.Exit(1)
	}
	start := time.Now()
	r, err := trace.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		fmt.Fprintln(os.Stderr, "goreader:", err)
		os.Exit(1)
	}
	var n, syncs uint64
	for {
		ev, err := r.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "goreader: after %d events: %v\n", n, err)
			break
		}
		if ev.Kind() == trace.EventSync {
			syncs++
		}
		n++
	}
	el := time.Since(start)
	fmt.Printf("events %d bytes %d seconds %.3f syncs %d\n", n, st.Size(), el.Seconds(), syncs)
}
