// Command hostile writes a trace full of strings that are terminal escape
// sequences or otherwise dangerous to print raw. A viewer must show them
// escaped (e.g. as \x1b[2J) and must never send them to the terminal.
//
// The strings are used as task names (trace.NewTask), region names
// (trace.StartRegion / trace.WithRegion), log categories and log messages
// (trace.Log), and as pprof goroutine labels (pprof.Do; these are NOT
// recorded in execution traces today, they are here for completeness). In
// addition, frames.go uses //line directives so that some stack frames
// have hostile *file names* (see the warning there).
//
// The runtime truncates every trace string to 1024 bytes; two strings are
// longer than that so the cut lands inside a UTF-8 sequence and inside an
// escape sequence.
//
// Usage: go run ./hostile -o trace.out
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"sync"
	"time"
)

type hostileString struct {
	desc string // printable description (safe)
	s    string // the hostile value
}

func hostileStrings() []hostileString {
	return []hostileString{
		{"clear screen ESC[2J", "\x1b[2J"},
		{"clear screen + home + text", "\x1b[2J\x1b[Hscreen cleared"},
		{"set window title OSC 0 BEL", "\x1b]0;PWNED\x07"},
		{"set window title OSC 0 ST", "\x1b]0;PWNED\x1b\\"},
		{"OSC 52 clipboard write", "\x1b]52;c;SGVsbG8=\x07"},
		{"C1 CSI U+009B as UTF-8", "\u009b31mred"},
		{"raw byte 0x9b CSI (invalid UTF-8)", "\x9b31mred"},
		{"raw byte 0x9d OSC (invalid UTF-8)", "\x9d0;PWNED\x9c"},
		{"bidi override U+202E", "txt.\u202egnp.exe"},
		{"bidi isolates U+2066..U+2069", "a\u2066b\u2069c\u2067d\u2069"},
		{"zero-width space U+200B", "zero\u200bwidth\u200b"},
		{"zero-width joiner/BOM", "\u200d\ufeffbom"},
		{"invalid UTF-8", "bad\xff\xfe\xc3\x28\xe2\x82utf8"},
		{"DEL 0x7f", "del\x7fdel"},
		{"NUL byte", "nul\x00nul"},
		{"CR overwrites line", "innocent\rEVIL"},
		{"backspaces", "abc\b\b\bXYZ"},
		{"newlines and tabs", "line1\nline2\n\tindented"},
		{"bell", "ding\x07"},
		{"SGR colors, no reset", "\x1b[31;1;5mred blink"},
		{"cursor movement", "\x1b[10A\x1b[5Cmoved"},
		{"alternate screen", "\x1b[?1049h"},
		{"hyperlink OSC 8", "\x1b]8;;http://example.com\x1b\\click\x1b]8;;\x1b\\"},
		{"DCS sequence", "\x1bP+q544e\x1b\\"},
		{"1000-byte string", strings.Repeat("0123456789", 100)},
		{"1000-byte escape storm", strings.Repeat("\x1b[2J\x1b[H", 142) + "\x1b[0m" + "!!"},
		{"3000 bytes, cut by 1024 limit inside U+202E", strings.Repeat("A", 1023) + strings.Repeat("\u202e", 660)},
		{"3000 bytes, cut by 1024 limit inside ESC seq", strings.Repeat("B", 1021) + strings.Repeat("\x1b]0;PWNED\x07", 165)},
		{"wide chars and emoji", "ｗｉｄｅ漢字🙂👨‍👩‍👧"},
		{"combining marks", "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359a\u035a\u035b\u035c"},
		{"percent formats", "%s%d%n%x %!"},
		{"empty string", ""},
	}
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	hs := hostileStrings()
	ctx := context.Background()
	var wg sync.WaitGroup
	for i, h := range hs {
		wg.Add(1)
		go func(i int, h hostileString) {
			defer wg.Done()
			labels := pprof.Labels("hostile", h.s, h.s, "value")
			pprof.Do(ctx, labels, func(ctx context.Context) {
				tctx, task := trace.NewTask(ctx, h.s) // hostile task name
				defer task.End()
				trace.Log(tctx, "desc", h.desc)      // safe description
				trace.Log(tctx, h.s, h.s)            // hostile category and message
				trace.Log(tctx, "message", h.s)      // hostile message only
				trace.WithRegion(tctx, h.s, func() { // hostile region name
					r := trace.StartRegion(tctx, "nested "+h.s)
					trace.Logf(tctx, "index", "%d", i)
					r.End()
				})
			})
		}(i, h)
		wg.Wait() // one at a time: deterministic order
	}

	// Goroutines whose stacks contain frames with hostile file names; they
	// block on a channel until main releases them, so they are visible as
	// blocked in the middle of the trace.
	release := make(chan struct{})
	var ready sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		ready.Add(1)
		go func(i int) {
			defer wg.Done()
			hostileFrames(ctx, i, release, &ready)
		}(i)
	}
	ready.Wait()
	time.Sleep(20 * time.Millisecond) // let them park on <-release
	trace.WithRegion(ctx, "\x1b]0;PWNED\x07 release", func() {
		close(release)
	})
	wg.Wait()

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %d hostile strings\n", len(hs))
}
