// Command stress writes large execution traces on demand.
//
// It runs -goroutines worker goroutines for -duration, each looping over a
// mix of operations that all leave events in the trace:
//
//   - request/reply over unbuffered channels to a pool of echo goroutines
//     ("chan send"/"chan receive" blocking, unblock events);
//   - contended sync.Mutex and sync.RWMutex sections ("sync" blocking);
//   - allocation of short-lived slices (GC cycles, mark assists, sweeps);
//   - user annotation: a task per batch of iterations, regions per
//     operation, trace.Log messages of -logsize bytes;
//   - write(2) system calls to /dev/null (Syscall transitions);
//   - short time.Sleep calls ("sleep" blocking, timers);
//   - spawning short-lived helper goroutines (create/destroy events).
//
// Trace size grows roughly linearly with -duration (tens of MB per second
// on a 2-core machine with the defaults); -logsize inflates every log
// event. With -mb N the run also stops as soon as about N MB (10^6 bytes)
// of trace have been written, whichever comes first, so
// "-duration 10m -mb 1000" writes a ~1 GB trace on any machine. See
// samples/README.md for measured sizes.
//
// Usage: go run ./stress -goroutines 8 -duration 1s -o trace.out
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/trace"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// countingWriter counts the trace bytes written so far.
type countingWriter struct {
	f *os.File
	n int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	atomic.AddInt64(&w.n, int64(n))
	return n, err
}

// stopFlag is set to 1 when the -mb limit is reached.
var stopFlag int32

type request struct {
	n     int
	reply chan int
}

type shared struct {
	echo    chan request
	mus     []sync.Mutex
	rw      sync.RWMutex
	table   map[int]int
	payload string
	ops     int64
}

func echoServer(s *shared, stop <-chan struct{}) {
	for {
		select {
		case r := <-s.echo:
			r.reply <- r.n * 2
		case <-stop:
			return
		}
	}
}

func spin(iters int) int {
	x := 1
	for i := 0; i < iters; i++ {
		x = x*31 + i
	}
	return x
}

func helper(n int, wg *sync.WaitGroup, out *int64) {
	defer wg.Done()
	atomic.AddInt64(out, int64(spin(n)&1))
}

func worker(ctx context.Context, id int, s *shared, deadline time.Time, devnull *os.File, wg *sync.WaitGroup) {
	defer wg.Done()
	reply := make(chan int)
	var keep [][]byte
	buf := []byte("gotv stress write\n")
	var ops int64
	var sink int64
	for batch := 0; ; batch++ {
		if time.Now().After(deadline) || atomic.LoadInt32(&stopFlag) != 0 {
			break
		}
		tctx, task := trace.NewTask(ctx, "batch")
		trace.Logf(tctx, "batch", "worker=%d batch=%d", id, batch)
		for i := 0; i < 64; i++ {
			op := (i + id) % 8
			switch op {
			case 0: // channel round trip
				r := trace.StartRegion(tctx, "echo")
				s.echo <- request{n: i, reply: reply}
				<-reply
				r.End()
			case 1: // contended mutex
				r := trace.StartRegion(tctx, "lock")
				m := &s.mus[(id+i)%len(s.mus)]
				m.Lock()
				spin(200)
				m.Unlock()
				r.End()
			case 2: // allocation
				b := make([]byte, 1024+(i*517)%(32<<10))
				b[0] = byte(i)
				keep = append(keep, b)
				if len(keep) > 32 {
					keep = keep[:0]
				}
			case 3: // annotation
				trace.Log(tctx, "payload", s.payload)
			case 4: // syscall
				trace.WithRegion(tctx, "syscall", func() {
					devnull.Write(buf)
				})
			case 5: // sleeps and RWMutex
				if i%16 == 5 {
					time.Sleep(20 * time.Microsecond)
				}
				s.rw.RLock()
				_ = s.table[i]
				s.rw.RUnlock()
			case 6: // short-lived goroutines
				if i%4 == 2 {
					var hw sync.WaitGroup
					hw.Add(2)
					go helper(100, &hw, &sink)
					go helper(300, &hw, &sink)
					hw.Wait()
				}
			case 7: // writer lock + select
				s.rw.Lock()
				s.table[i] = id
				s.rw.Unlock()
				select {
				case s.echo <- request{n: i, reply: reply}:
					<-reply
				default:
				}
			}
			ops++
		}
		task.End()
	}
	atomic.AddInt64(&s.ops, ops)
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	gs := flag.Int("goroutines", 8, "number of worker goroutines")
	dur := flag.Duration("duration", time.Second, "how long to run")
	logsize := flag.Int("logsize", 64, "bytes per trace.Log message")
	mb := flag.Int64("mb", 0, "also stop once about `N` MB of trace are written (0: no limit)")
	flag.Parse()
	if *gs < 1 {
		log.Fatal("-goroutines must be >= 1")
	}

	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer devnull.Close()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	cw := &countingWriter{f: f}
	if err := trace.Start(cw); err != nil {
		log.Fatal(err)
	}
	if *mb > 0 {
		limit := *mb * 1000 * 1000
		go func() {
			for atomic.LoadInt64(&cw.n) < limit {
				time.Sleep(5 * time.Millisecond)
			}
			atomic.StoreInt32(&stopFlag, 1)
		}()
	}

	nmu := *gs / 4
	if nmu < 1 {
		nmu = 1
	}
	s := &shared{
		echo:    make(chan request),
		mus:     make([]sync.Mutex, nmu),
		table:   make(map[int]int),
		payload: strings.Repeat("x", *logsize),
	}
	stop := make(chan struct{})
	var swg sync.WaitGroup
	for i := 0; i < nmu; i++ {
		swg.Add(1)
		go func() {
			defer swg.Done()
			echoServer(s, stop)
		}()
	}

	ctx := context.Background()
	t0 := time.Now()
	deadline := t0.Add(*dur)
	var wg sync.WaitGroup
	for i := 0; i < *gs; i++ {
		wg.Add(1)
		go worker(ctx, i, s, deadline, devnull, &wg)
	}
	wg.Wait()
	close(stop)
	swg.Wait()
	elapsed := time.Since(t0)

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	st, err := os.Stat(*out)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("goroutines=%d duration=%v ops=%d trace=%d bytes (%.1f MB)\n",
		*gs, elapsed.Round(time.Millisecond), s.ops, st.Size(), float64(st.Size())/1e6)
}
