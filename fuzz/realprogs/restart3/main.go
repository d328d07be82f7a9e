package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	// goroutines living across all three traces
	stop := make(chan bool)
	blocked := make(chan bool)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			t := time.NewTicker(time.Duration(i+1) * 300 * time.Microsecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}(i)
	}
	go func() { <-blocked }()
	for k := 1; k <= 3; k++ {
		name := *out
		if k > 1 {
			name = fmt.Sprintf("%s.%d", *out, k)
		}
		f, _ := os.Create(name)
		trace.Start(f)
		for j := 0; j < k*3; j++ {
			go func() { time.Sleep(time.Millisecond) }()
		}
		time.Sleep(time.Duration(5*k) * time.Millisecond)
		runtime.GC()
		trace.Stop()
		f.Close()
		time.Sleep(2 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	close(blocked)
}
