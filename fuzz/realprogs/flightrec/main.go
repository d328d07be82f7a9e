package main

import (
	"flag"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func work(n int) {
	var wg sync.WaitGroup
	ch := make(chan int)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range ch {
				time.Sleep(time.Duration(v%3) * 50 * time.Microsecond)
			}
		}()
	}
	for i := 0; i < n; i++ {
		ch <- i
	}
	close(ch)
	wg.Wait()
}

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: 50 * time.Millisecond, MaxBytes: 1 << 20})
	fr.Start()
	work(500)
	f1, _ := os.Create(*out)
	fr.WriteTo(f1)
	f1.Close()
	work(300)
	time.Sleep(10 * time.Millisecond)
	f2, _ := os.Create(*out + ".2")
	if _, err := fr.WriteTo(f2); err != nil {
		os.Stderr.WriteString("second WriteTo: " + err.Error() + "\n")
	}
	f2.Close()
	fr.Stop()
}
