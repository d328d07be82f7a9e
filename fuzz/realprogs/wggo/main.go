package main

import (
	"flag"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for i := range 200 {
		wg.Go(func() {
			time.Sleep(time.Duration(i%7) * 100 * time.Microsecond)
			mu.Lock()
			total += i
			mu.Unlock()
		})
	}
	wg.Wait()
	var outer sync.WaitGroup
	for range 10 {
		outer.Go(func() {
			var inner sync.WaitGroup
			for range 20 {
				inner.Go(func() { time.Sleep(50 * time.Microsecond) })
			}
			inner.Wait()
		})
	}
	outer.Wait()
	trace.Stop()
	f.Close()
}
