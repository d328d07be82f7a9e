// Command cpubound runs many more CPU-bound goroutines than there are Ps.
//
// GOMAXPROCS is set to 2 and 40 goroutines each compute ~25ms worth of
// prime counting without ever blocking. Only two can run at once, so the
// rest sit in the run queue ("Runnable") for most of their life; the
// scheduler's sysmon preempts long-running goroutines every ~10ms (reason
// "preempted"), so they take turns. Total wall time is about
// 40*25ms/2 = 500ms, while each goroutine's own CPU time is only ~25ms.
//
// Usage: go run ./cpubound -o trace.out
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

// countPrimes is deliberately naive CPU work.
func countPrimes(from, to int) int {
	n := 0
	for i := from; i < to; i++ {
		if i < 2 {
			continue
		}
		prime := true
		for d := 2; d*d <= i; d++ {
			if i%d == 0 {
				prime = false
				break
			}
		}
		if prime {
			n++
		}
	}
	return n
}

// calibrate finds a range size that takes about d.
func calibrate(d time.Duration) int {
	size := 1000
	for {
		t0 := time.Now()
		countPrimes(1000000, 1000000+size)
		if el := time.Since(t0); el >= d/8 {
			return int(float64(size) * float64(d) / float64(el))
		}
		size *= 2
	}
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	gs := flag.Int("goroutines", 40, "CPU-bound goroutines")
	per := flag.Duration("work", 25*time.Millisecond, "CPU work per goroutine")
	procs := flag.Int("procs", 2, "GOMAXPROCS")
	flag.Parse()

	runtime.GOMAXPROCS(*procs)
	size := calibrate(*per)

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	results := make([]int, *gs)
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := 0; i < *gs; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			start := 1000000 + i*size
			results[i] = countPrimes(start, start+size)
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(t0)

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	total := 0
	for _, r := range results {
		total += r
	}
	fmt.Printf("GOMAXPROCS=%d goroutines=%d primes=%d elapsed=%v\n",
		runtime.GOMAXPROCS(0), *gs, total, elapsed.Round(time.Millisecond))
}
