package main

import (
	"flag"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"
)

//go:noinline
func burn(d time.Duration) int {
	x := 0
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		for i := 0; i < 1000; i++ {
			x += i * i
		}
	}
	return x
}

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	pprof.StartCPUProfile(io.Discard)
	trace.Start(f)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); burn(150 * time.Millisecond) }()
	}
	wg.Wait()
	trace.Stop()
	pprof.StopCPUProfile()
	f.Close()
}
