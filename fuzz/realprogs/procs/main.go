package main

import (
	"flag"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

var results [16]uint64

func spin(i int, d time.Duration) {
	end := time.Now().Add(d)
	x := uint64(i)
	for time.Now().Before(end) {
		for j := 0; j < 10000; j++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	results[i] = x
}

func tight(i int, n int) {
	x := uint64(i)
	for j := 0; j < n; j++ { // no function calls: async preemption
		x = x*6364136223846793005 + 1442695040888963407
	}
	results[i] = x
}

// run traces the workload with GOMAXPROCS n into file name.
func run(n int, name string) {
	runtime.GOMAXPROCS(n)
	f, _ := os.Create(name)
	trace.Start(f)
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if i%2 == 0 {
				spin(i, 80*time.Millisecond)
			} else {
				tight(i, 150000000)
			}
		}(i)
	}
	// a latency-sensitive ticker goroutine
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		for i := 0; i < 40; i++ {
			<-t.C
		}
		t.Stop()
	}()
	wg.Wait()
	trace.Stop()
	f.Close()
}

// main writes two traces: GOMAXPROCS 1 into -o, GOMAXPROCS 8 into -o's name
// with ".2" added.
func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	run(1, *out)
	run(8, *out+".2")
}
