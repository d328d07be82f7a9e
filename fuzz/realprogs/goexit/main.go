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
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			time.Sleep(time.Duration(i+1) * 3 * time.Millisecond)
			if i == 2 {
				defer func() {}()
				runtime.Goexit()
			}
		}(i)
	}
	go func() {
		wg.Wait()
		time.Sleep(5 * time.Millisecond)
		trace.Stop()
		f.Close()
		os.Exit(0)
	}()
	defer func() { _ = 1 }()
	runtime.Goexit()
}
