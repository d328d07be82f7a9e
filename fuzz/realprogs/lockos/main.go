package main

import (
	"flag"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			runtime.LockOSThread()
			x := 0
			for j := 0; j < 200000*(i+1); j++ {
				x += j
			}
			time.Sleep(time.Millisecond)
			if i%2 == 0 {
				runtime.UnlockOSThread()
			}
			// odd ones exit while locked: the thread exits
			_ = x
		}(i)
	}
	wg.Wait()
	// main locked, nested
	runtime.LockOSThread()
	runtime.LockOSThread()
	ch := make(chan int)
	go func() { runtime.LockOSThread(); ch <- 1; runtime.Goexit() }()
	<-ch
	runtime.UnlockOSThread()
	runtime.UnlockOSThread()
	time.Sleep(5 * time.Millisecond)
	trace.Stop()
	f.Close()
}
