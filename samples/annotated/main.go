// Command annotated is an instrumented request handler using the
// runtime/trace user annotation API.
//
// Each simulated request gets its own task "handleRequest" (trace.NewTask);
// inside it the handler logs the request id and user (trace.Log), runs
// regions "parseRequest", "authorize" and "render" (trace.WithRegion and
// trace.StartRegion, some nested), and starts a child task "dbQuery" whose
// work happens on another goroutine (regions "connect" and "query" nested
// inside "db"). Some requests hit a "cache miss" path (extra region +
// log), and one in eight fails authorization (logged under category
// "error"). Requests run three at a time.
//
// Usage: go run ./annotated -o trace.out
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func spin(d time.Duration) {
	deadline := time.Now().Add(d)
	x := 0
	for time.Now().Before(deadline) {
		x++
	}
	_ = x
}

// dbQuery runs as a child task on its own goroutine and reports back.
func dbQuery(ctx context.Context, id int, result chan<- int) {
	ctx, task := trace.NewTask(ctx, "dbQuery")
	defer task.End()
	trace.Logf(ctx, "sql", "SELECT * FROM items WHERE request_id = %d", id)
	trace.WithRegion(ctx, "db", func() {
		trace.WithRegion(ctx, "connect", func() {
			time.Sleep(2 * time.Millisecond) // waiting for a pooled connection
		})
		trace.WithRegion(ctx, "query", func() {
			spin(300 * time.Microsecond)
			time.Sleep(3 * time.Millisecond) // server round-trip
		})
	})
	result <- id * 7
}

func handleRequest(ctx context.Context, id int) error {
	ctx, task := trace.NewTask(ctx, "handleRequest")
	defer task.End()
	trace.Log(ctx, "requestID", fmt.Sprint(id))
	trace.Logf(ctx, "user", "user-%d", id%5)

	trace.WithRegion(ctx, "parseRequest", func() {
		spin(200 * time.Microsecond)
		trace.WithRegion(ctx, "decodeJSON", func() {
			spin(150 * time.Microsecond)
		})
	})

	var authorized bool
	trace.WithRegion(ctx, "authorize", func() {
		spin(100 * time.Microsecond)
		authorized = id%8 != 3
	})
	if !authorized {
		trace.Logf(ctx, "error", "request %d: permission denied", id)
		return fmt.Errorf("request %d: permission denied", id)
	}

	if id%3 == 0 {
		r := trace.StartRegion(ctx, "cacheMiss")
		trace.Log(ctx, "cache", "miss, refilling")
		time.Sleep(1 * time.Millisecond)
		r.End()
	}

	result := make(chan int)
	go dbQuery(ctx, id, result)
	var rows int
	trace.WithRegion(ctx, "waitForDB", func() {
		rows = <-result
	})

	r := trace.StartRegion(ctx, "render")
	inner := trace.StartRegion(ctx, "template")
	spin(250 * time.Microsecond)
	inner.End()
	trace.Logf(ctx, "response", "200 OK, %d rows", rows)
	r.End()
	return nil
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	n := flag.Int("requests", 24, "number of requests")
	par := flag.Int("parallel", 3, "requests in flight at once")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	sem := make(chan struct{}, *par)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for i := 0; i < *n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			defer func() { <-sem }()
			if err := handleRequest(ctx, id); err != nil {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("handled %d requests, %d failed\n", *n, failed)
}
