package main

import (
	"flag"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

func spin(d time.Duration, wg *sync.WaitGroup) {
	defer wg.Done()
	end := time.Now().Add(d)
	for time.Now().Before(end) {
	}
}

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	for _, p := range []int{1, 4, 2, 3, 1, 2} {
		runtime.GOMAXPROCS(p)
		var wg sync.WaitGroup
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go spin(3*time.Millisecond, &wg)
		}
		wg.Wait()
		time.Sleep(time.Millisecond)
	}
	// change while goroutines are running
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go spin(10*time.Millisecond, &wg)
	}
	time.Sleep(2 * time.Millisecond)
	runtime.GOMAXPROCS(1)
	time.Sleep(2 * time.Millisecond)
	runtime.GOMAXPROCS(4)
	wg.Wait()
	trace.Stop()
	f.Close()
}
