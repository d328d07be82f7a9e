// Command gcpressure allocates aggressively to cause many GC cycles.
//
// A few goroutines build small linked trees (lots of pointers to scan) and
// keep the most recent ones alive in a shared ring, so every cycle has a
// sizeable live heap to mark while the allocators keep allocating. This
// shows: many "GC concurrent mark phase" ranges, short stop-the-world pauses
// (sweep termination / mark termination), dedicated and fractional GC
// worker goroutines, and user goroutines doing "GC mark assist" because they
// allocate faster than the background workers can mark. The heap grows and
// shrinks in a saw-tooth (HeapAlloc / HeapGoal metrics).
//
// Usage: go run ./gcpressure -o trace.out
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

type node struct {
	left, right *node
	payload     [6]uint64
}

func build(depth int) *node {
	if depth == 0 {
		return &node{}
	}
	n := &node{left: build(depth - 1), right: build(depth - 1)}
	n.payload[0] = uint64(depth)
	return n
}

func count(n *node) int {
	if n == nil {
		return 0
	}
	return 1 + count(n.left) + count(n.right)
}

type ring struct {
	mu    sync.Mutex
	slots []*node
	next  int
}

func (r *ring) put(n *node) {
	r.mu.Lock()
	r.slots[r.next] = n
	r.next = (r.next + 1) % len(r.slots)
	r.mu.Unlock()
}

func allocator(id int, r *ring, deadline time.Time, wg *sync.WaitGroup, built *int64, mu *sync.Mutex) {
	defer wg.Done()
	var local int64
	for time.Now().Before(deadline) {
		t := build(10) // 2047 nodes of 64 bytes = ~128 KiB
		local += int64(count(t))
		r.put(t) // keep it alive for a while
		// Short-lived garbage on top.
		junk := make([][]byte, 64)
		for i := range junk {
			junk[i] = make([]byte, 512)
		}
		_ = junk
	}
	mu.Lock()
	*built += local
	mu.Unlock()
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	dur := flag.Duration("duration", 400*time.Millisecond, "how long to allocate")
	workers := flag.Int("workers", 4, "allocating goroutines")
	live := flag.Int("live", 256, "trees kept alive (x ~128 KiB)")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := &ring{slots: make([]*node, *live)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var built int64
	deadline := time.Now().Add(*dur)
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go allocator(i, r, deadline, &wg, &built, &mu)
	}
	wg.Wait()
	runtime.ReadMemStats(&after)

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("allocated %d nodes, %d GC cycles, total STW pause %v\n",
		built, after.NumGC-before.NumGC, time.Duration(after.PauseTotalNs-before.PauseTotalNs))
}
