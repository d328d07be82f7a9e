//go:build go1.23

// Command iterpull uses iter.Pull, which runs the iterator as a coroutine.
//
// iter.Pull creates a goroutine for the push-style iterator that starts
// blocked (GoCreateBlocked in the trace) and then transfers control back and
// forth with the caller using direct coroutine switches (GoSwitch /
// GoSwitchDestroy events) instead of ordinary scheduling: each next() call
// switches to the iterator goroutine, which runs until it yields and
// switches back. Three consumers each pull from their own generators
// (Fibonacci numbers with iter.Pull, a key/value walk with iter.Pull2), and
// one consumer stops early so its iterator is cleaned up via stop().
//
// Needs Go 1.23 or later (with older toolchains a stub just says so).
//
// Usage: go run ./iterpull -o trace.out
package main

import (
	"context"
	"flag"
	"fmt"
	"iter"
	"log"
	"os"
	"runtime/trace"
	"sync"
)

func fib(limit int) iter.Seq[int] {
	return func(yield func(int) bool) {
		a, b := 0, 1
		for i := 0; i < limit; i++ {
			if !yield(a) {
				return
			}
			a, b = b, a+b
		}
	}
}

func squares(n int) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i, i*i) {
				return
			}
		}
	}
}

func consumeFib(ctx context.Context, id, limit, stopAfter int) int {
	defer trace.StartRegion(ctx, "consumeFib").End()
	next, stop := iter.Pull(fib(limit))
	defer stop()
	sum := 0
	for i := 0; ; i++ {
		if stopAfter > 0 && i == stopAfter {
			trace.Logf(ctx, "iterpull", "consumer %d stops early after %d values", id, i)
			break
		}
		v, ok := next()
		if !ok {
			break
		}
		sum += v % 1000
	}
	return sum
}

func consumeSquares(ctx context.Context, n int) int {
	defer trace.StartRegion(ctx, "consumeSquares").End()
	next, stop := iter.Pull2(squares(n))
	defer stop()
	sum := 0
	for {
		k, v, ok := next()
		if !ok {
			break
		}
		sum += k + v
	}
	return sum
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	n := flag.Int("n", 200, "values per iterator")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	results := make([]int, 4)
	var wg sync.WaitGroup
	wg.Add(4)
	go func() { defer wg.Done(); results[0] = consumeFib(ctx, 0, *n, 0) }()
	go func() { defer wg.Done(); results[1] = consumeFib(ctx, 1, *n, 0) }()
	go func() { defer wg.Done(); results[2] = consumeFib(ctx, 2, *n, *n/4) }() // stops early
	go func() { defer wg.Done(); results[3] = consumeSquares(ctx, *n) }()
	wg.Wait()

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("results:", results)
}
