package main

import (
	"flag"
	"os"
	"runtime"
	"runtime/trace"
	"sync/atomic"
	"time"
)

func init() { runtime.LockOSThread() }

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	var stop int32
	var n int64
	for i := 0; i < 2; i++ {
		go func() {
			for atomic.LoadInt32(&stop) == 0 {
				atomic.AddInt64(&n, 1)
				runtime.Gosched()
			}
		}()
	}
	// main stays on its locked thread and blocks a few ways
	ch := make(chan int)
	go func() {
		for i := 0; i < 50; i++ {
			time.Sleep(200 * time.Microsecond)
			ch <- i
		}
		close(ch)
	}()
	for range ch {
	}
	time.Sleep(10 * time.Millisecond)
	atomic.StoreInt32(&stop, 1)
	time.Sleep(time.Millisecond)
	trace.Stop()
	f.Close()
}
