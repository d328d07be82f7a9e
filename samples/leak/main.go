// Command leak shows a goroutine leak that grows over time.
//
// Every 10ms a "request" starts two helper goroutines and then gives up on
// them (it has a 1ms budget):
//
//   - fetchWithTimeout's worker sends its result on an unbuffered channel
//     after the caller has already returned on timeout, so the worker
//     blocks forever with reason "chan send";
//   - waitForShutdown waits on a channel that nobody ever writes or closes,
//     so it blocks forever with reason "chan receive".
//
// Over ~600ms the number of blocked goroutines climbs steadily (about 2 per
// tick); main logs the count under the trace.Log category "leak" and they
// are all still blocked when the trace ends.
//
// Usage: go run ./leak -o trace.out
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/trace"
	"time"
)

// fetchWithTimeout leaks its worker whenever the timeout wins.
func fetchWithTimeout(id int, timeout time.Duration) (int, error) {
	result := make(chan int) // BUG: unbuffered; should be make(chan int, 1)
	go slowFetch(id, result)
	select {
	case v := <-result:
		return v, nil
	case <-time.After(timeout):
		return 0, errors.New("timeout")
	}
}

func slowFetch(id int, result chan<- int) {
	time.Sleep(3 * time.Millisecond)
	result <- id // nobody is listening any more: blocks forever
}

// waitForShutdown waits for a signal that never comes.
func waitForShutdown(id int, shutdown <-chan struct{}) {
	<-shutdown // nobody writes to or closes this channel
	fmt.Println("shutdown", id)
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	ticks := flag.Int("ticks", 60, "number of requests (one every 10ms)")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	base := runtime.NumGoroutine()
	timeouts := 0
	for i := 0; i < *ticks; i++ {
		if _, err := fetchWithTimeout(i, time.Millisecond); err != nil {
			timeouts++
		}
		go waitForShutdown(i, make(chan struct{}))
		time.Sleep(10 * time.Millisecond)
		if i%10 == 9 {
			trace.Logf(ctx, "leak", "goroutines=%d", runtime.NumGoroutine()-base)
		}
	}
	leaked := runtime.NumGoroutine() - base

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d requests, %d timeouts, %d goroutines leaked\n", *ticks, timeouts, leaked)
}
