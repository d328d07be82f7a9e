//go:build linux

// Command syscallsleep shows goroutines stuck in long blocking system calls
// (no cgo needed).
//
// Four goroutines call syscall.Nanosleep for 50ms, five times each. A raw
// blocking syscall keeps the OS thread busy, so the goroutine stays in the
// Syscall state for the whole 50ms; since this is longer than ~20µs, sysmon
// retakes the goroutine's P and hands it to another thread (a "ProcSteal"
// in the trace) so the CPU-bound goroutines can keep running. Compare with
// time.Sleep, which parks the goroutine ("sleep") without holding a thread;
// two goroutines do that for contrast. Expect extra threads (Ms) to appear.
//
// Usage: go run ./syscallsleep -o trace.out
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/trace"
	"sync"
	"syscall"
	"time"
)

func syscallSleeper(d time.Duration, n int, wg *sync.WaitGroup) {
	defer wg.Done()
	ts := syscall.NsecToTimespec(int64(d))
	for i := 0; i < n; i++ {
		for {
			var rem syscall.Timespec
			if err := syscall.Nanosleep(&ts, &rem); err != syscall.EINTR {
				break
			}
			ts = rem
		}
		ts = syscall.NsecToTimespec(int64(d))
	}
}

func timeSleeper(d time.Duration, n int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < n; i++ {
		time.Sleep(d)
	}
}

func cpuWorker(stop <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	x := 0
	for {
		select {
		case <-stop:
			return
		default:
		}
		for i := 0; i < 100000; i++ {
			x = x*31 + i
		}
	}
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	d := flag.Duration("sleep", 50*time.Millisecond, "duration of each blocking call")
	n := flag.Int("n", 5, "calls per goroutine")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	stop := make(chan struct{})
	var cpu, sleepers sync.WaitGroup
	for i := 0; i < 2; i++ {
		cpu.Add(1)
		go cpuWorker(stop, &cpu)
	}
	for i := 0; i < 4; i++ {
		sleepers.Add(1)
		go syscallSleeper(*d, *n, &sleepers)
	}
	for i := 0; i < 2; i++ {
		sleepers.Add(1)
		go timeSleeper(*d, *n, &sleepers)
	}
	sleepers.Wait()
	close(stop)
	cpu.Wait()

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("6 goroutines x %d sleeps of %v (4 in syscall.Nanosleep, 2 in time.Sleep)\n", *n, *d)
}
