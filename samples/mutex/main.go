// Command mutex shows heavy sync.Mutex contention.
//
// 32 goroutines repeatedly update a shared "inventory" map guarded by a
// single sync.Mutex, doing ~20µs of work while holding the lock and only a
// little work outside it. With the critical section dominating, almost
// every Lock call finds the mutex held: after a short spin, goroutines park
// with reason "sync" (in sync.(*Mutex).Lock) and are woken one by one by
// Unlock. Only one goroutine at a time makes progress, whatever GOMAXPROCS
// is; the sync blocking profile (gotv pprof sync) points at
// main.(*inventory).add.
//
// Usage: go run ./mutex -o trace.out
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

type inventory struct {
	mu    sync.Mutex
	items map[int]int
	ops   int
}

func spin(d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
	}
}

// add holds the lock for the whole update: the contended critical section.
func (inv *inventory) add(item, qty int) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	inv.items[item] += qty
	inv.ops++
	spin(20 * time.Microsecond) // e.g. recomputing totals under the lock
}

func worker(id int, inv *inventory, iters int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < iters; i++ {
		spin(2 * time.Microsecond) // little work outside the lock
		inv.add((id*31+i)%100, 1)
	}
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	gs := flag.Int("goroutines", 32, "contending goroutines")
	iters := flag.Int("iters", 300, "lock acquisitions per goroutine")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	inv := &inventory{items: make(map[int]int)}
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := 0; i < *gs; i++ {
		wg.Add(1)
		go worker(i, inv, *iters, &wg)
	}
	wg.Wait()
	elapsed := time.Since(t0)

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d goroutines, %d locked updates in %v\n", *gs, inv.ops, elapsed.Round(time.Millisecond))
}
