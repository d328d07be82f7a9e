// Command pipeline runs the same three-stage pipeline sequentially or
// concurrently, so two traces can be compared (before/after).
//
// Stages: generate (reads "records", with a small sleep per batch to mimic
// I/O) -> transform (CPU heavy: hashing) -> aggregate (sum).
//
//	-mode=seq   one goroutine does everything; one P is busy, the other idle,
//	            and the CPU sits idle while generate sleeps.
//	-mode=conc  generate, NumCPU transform workers and aggregate run as
//	            separate goroutines connected by buffered channels; both Ps
//	            are busy and the I/O wait overlaps with computation.
//
// Both modes compute the same checksum.
//
// Usage: go run ./pipeline -mode=seq -o seq.trace
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

const (
	batchSize = 16
)

type record struct {
	id      int
	payload [256]byte
}

// fetchBatch mimics reading a batch of records from slow storage.
func fetchBatch(start int) []record {
	time.Sleep(1 * time.Millisecond)
	recs := make([]record, batchSize)
	for i := range recs {
		recs[i].id = start + i
		for k := range recs[i].payload {
			recs[i].payload[k] = byte(start + i + k)
		}
	}
	return recs
}

// transform is the CPU-heavy stage.
func transform(r record) uint64 {
	var h uint64 = 14695981039346656037
	for round := 0; round < 300; round++ {
		for _, b := range r.payload {
			h ^= uint64(b) + uint64(round)
			h *= 1099511628211
		}
	}
	return h
}

func runSeq(n int) uint64 {
	var sum uint64
	for start := 0; start < n; start += batchSize {
		for _, r := range fetchBatch(start) {
			sum += transform(r)
		}
	}
	return sum
}

func generate(n int, out chan<- record) {
	defer close(out)
	for start := 0; start < n; start += batchSize {
		for _, r := range fetchBatch(start) {
			out <- r
		}
	}
}

func transformWorker(in <-chan record, out chan<- uint64, wg *sync.WaitGroup) {
	defer wg.Done()
	for r := range in {
		out <- transform(r)
	}
}

func aggregate(in <-chan uint64, result chan<- uint64) {
	var sum uint64
	for v := range in {
		sum += v
	}
	result <- sum
}

func runConc(n int) uint64 {
	recs := make(chan record, 64)
	hashes := make(chan uint64, 64)
	result := make(chan uint64)
	go generate(n, recs)
	var wg sync.WaitGroup
	for i := 0; i < runtime.NumCPU(); i++ {
		wg.Add(1)
		go transformWorker(recs, hashes, &wg)
	}
	go aggregate(hashes, result)
	wg.Wait()
	close(hashes)
	return <-result
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	mode := flag.String("mode", "seq", "seq or conc")
	n := flag.Int("n", 1024, "number of records")
	flag.Parse()
	if *mode != "seq" && *mode != "conc" {
		log.Fatalf("-mode must be seq or conc, not %q", *mode)
	}

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	t0 := time.Now()
	var sum uint64
	if *mode == "seq" {
		sum = runSeq(*n)
	} else {
		sum = runConc(*n)
	}
	elapsed := time.Since(t0)

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("mode=%s records=%d checksum=%016x elapsed=%v\n", *mode, *n, sum, elapsed.Round(time.Millisecond))
}
