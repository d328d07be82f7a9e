// Command workerpool shows a worker pool starved by a slow producer.
//
// Eight workers range over an unbuffered jobs channel, but the single
// producer needs ~4ms to "fetch" each job (it sleeps), while a worker needs
// only ~100µs of CPU to process one. So at almost every moment all workers
// are parked in "chan receive" waiting for the producer: adding workers
// would not help, the producer is the bottleneck.
//
// Usage: go run ./workerpool -o trace.out
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

type job struct {
	id   int
	data []byte
}

// produce is the slow producer: each job takes a while to arrive.
func produce(jobs chan<- job, n int) {
	defer close(jobs)
	for i := 0; i < n; i++ {
		time.Sleep(4 * time.Millisecond) // slow upstream (disk, network, ...)
		data := make([]byte, 4096)
		for k := range data {
			data[k] = byte(i + k)
		}
		jobs <- job{id: i, data: data}
	}
}

// process burns roughly 100µs of CPU.
func process(j job) uint32 {
	var h uint32 = 2166136261
	deadline := time.Now().Add(100 * time.Microsecond)
	for time.Now().Before(deadline) {
		for _, b := range j.data {
			h ^= uint32(b)
			h *= 16777619
		}
	}
	return h
}

func worker(id int, jobs <-chan job, results chan<- uint32, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs { // workers spend most of their life blocked here
		results <- process(j)
	}
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	workers := flag.Int("workers", 8, "number of workers")
	njobs := flag.Int("jobs", 100, "number of jobs")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	jobs := make(chan job)
	results := make(chan uint32, *njobs)
	var wg sync.WaitGroup
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go worker(i, jobs, results, &wg)
	}
	go produce(jobs, *njobs)
	wg.Wait()
	close(results)
	var sum uint32
	for r := range results {
		sum += r
	}

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("processed %d jobs with %d workers (checksum %08x)\n", *njobs, *workers, sum)
}
