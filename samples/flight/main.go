//go:build go1.25

// Command flight uses the flight recorder (runtime/trace.FlightRecorder,
// Go 1.25+) to capture only the last moments before an anomaly.
//
// Instead of trace.Start, the program keeps a flight recorder running: the
// runtime traces into a ring of buffers holding roughly the last -window of
// execution. A simulated service handles requests one after another (each
// a task "request" with a region "handle"); normally they take ~1ms, but
// request -anomaly (default 1500, after ~1.5s) is slow (40ms, log category
// "anomaly"). When the service notices a request slower than 20ms it
// writes a snapshot of the recorder with WriteTo to -o (once) and carries
// on until all -requests are done. The snapshot is an ordinary trace that
// starts in the middle of the program's life: only the last ~50 requests
// are in it, goroutines that already existed appear with their state at
// the start of the window, and the first task in it has an end but no
// beginning.
//
// Needs Go 1.25 or later (with older toolchains a stub just says so).
//
// Usage: go run ./flight -o trace.out
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
	for time.Now().Before(deadline) {
	}
}

var anomalyAt = 1500

func handle(ctx context.Context, id int) time.Duration {
	t0 := time.Now()
	ctx, task := trace.NewTask(ctx, "request")
	defer task.End()
	trace.Logf(ctx, "id", "%d", id)
	trace.WithRegion(ctx, "handle", func() {
		spin(200 * time.Microsecond)
		if id == anomalyAt {
			trace.Log(ctx, "anomaly", "slow path taken")
			time.Sleep(40 * time.Millisecond)
		} else {
			time.Sleep(800 * time.Microsecond)
		}
	})
	return time.Since(t0)
}

func main() {
	out := flag.String("o", "trace.out", "write the flight recorder snapshot to `FILE`")
	window := flag.Duration("window", 100*time.Millisecond, "flight recorder MinAge")
	n := flag.Int("requests", 1600, "requests to handle")
	flag.IntVar(&anomalyAt, "anomaly", anomalyAt, "index of the slow request")
	flag.Parse()

	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{
		MinAge:   *window,
		MaxBytes: 4 << 20,
	})
	if err := fr.Start(); err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	var once sync.Once
	snapshotErr := error(nil)
	var written int64
	background := make(chan struct{})
	go func() { // some unrelated background activity
		for {
			select {
			case <-background:
				return
			case <-time.After(5 * time.Millisecond):
				spin(100 * time.Microsecond)
			}
		}
	}()
	for i := 0; i < *n; i++ {
		if d := handle(ctx, i); d > 20*time.Millisecond {
			once.Do(func() {
				f, err := os.Create(*out)
				if err != nil {
					snapshotErr = err
					return
				}
				written, snapshotErr = fr.WriteTo(f)
				if err := f.Close(); snapshotErr == nil {
					snapshotErr = err
				}
				fmt.Printf("request %d took %v: wrote %d-byte snapshot\n", i, d.Round(time.Millisecond), written)
			})
		}
	}
	close(background)
	fr.Stop()
	if snapshotErr != nil {
		log.Fatal(snapshotErr)
	}
	if written == 0 {
		log.Fatal("no anomaly seen, no snapshot written")
	}
}
