package main

import (
	"context"
	"flag"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func tree(ctx context.Context, depth int, wg *sync.WaitGroup) {
	defer wg.Done()
	if depth == 0 {
		<-ctx.Done()
		return
	}
	for i := 0; i < 3; i++ {
		c, cancel := context.WithCancel(ctx)
		if i == 2 {
			c, cancel = context.WithTimeout(ctx, time.Duration(depth)*time.Millisecond)
		}
		_ = cancel
		wg.Add(1)
		go tree(c, depth-1, wg)
	}
	<-ctx.Done()
}

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	// context cancellation tree (3^5 leaves)
	var wg sync.WaitGroup
	root, cancel := context.WithCancel(context.Background())
	wg.Add(1)
	go tree(root, 5, &wg)
	time.Sleep(20 * time.Millisecond)
	cancel()
	wg.Wait()
	// timer reset/stop storms
	var twg sync.WaitGroup
	for g := 0; g < 8; g++ {
		twg.Add(1)
		go func() {
			defer twg.Done()
			t := time.NewTimer(time.Hour)
			for i := 0; i < 2000; i++ {
				if i%3 == 0 {
					t.Stop()
				}
				t.Reset(time.Duration(i%50) * time.Microsecond)
				if i%100 == 0 {
					<-t.C
				}
			}
			t.Stop()
		}()
	}
	twg.Wait()
	// AfterFunc callbacks
	var awg sync.WaitGroup
	for i := 0; i < 200; i++ {
		awg.Add(1)
		d := time.Duration(i%20) * 100 * time.Microsecond
		tm := time.AfterFunc(d, func() { awg.Done() })
		if i%10 == 0 {
			if tm.Stop() {
				awg.Done()
			}
		}
	}
	awg.Wait()
	// select on nil channels and closed channels
	var nilc chan int
	closed := make(chan int)
	close(closed)
	n := 0
	for i := 0; i < 1000; i++ {
		select {
		case <-nilc:
		case nilc <- 1:
		case _, ok := <-closed:
			if !ok {
				n++
			}
		}
	}
	done := make(chan bool)
	go func() {
		select {
		case <-nilc:
		case <-time.After(5 * time.Millisecond):
		}
		done <- true
	}()
	<-done
	// close waking many receivers
	gate := make(chan struct{})
	var rwg sync.WaitGroup
	for i := 0; i < 500; i++ {
		rwg.Add(1)
		go func() { defer rwg.Done(); <-gate }()
	}
	time.Sleep(5 * time.Millisecond)
	close(gate)
	rwg.Wait()
	trace.Stop()
	f.Close()
}
