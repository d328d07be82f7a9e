package main

import (
	"flag"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	r, w, _ := os.Pipe()
	r2, w2, _ := os.Pipe()
	var mu sync.Mutex
	mu.Lock()
	ch := make(chan int)
	never := make(chan int)
	stop := make(chan struct{})
	// blocked in syscall read on pipe (os.Pipe is nonblocking via netpoll; use raw Read on Fd)
	for i := 0; i < 3; i++ {
		go func() {
			buf := make([]byte, 1)
			r.Read(buf)
		}()
	}
	go func() {
		buf := make([]byte, 1)
		fd := r2.Fd() // switches to blocking mode
		_ = fd
		r2.Read(buf)
	}()
	for i := 0; i < 5; i++ {
		go func() { <-ch }()
		go func() { <-never }()
		go func() { time.Sleep(time.Duration(5+i) * time.Millisecond) }()
		go func() { time.Sleep(time.Hour) }()
		go func() { mu.Lock(); mu.Unlock() }()
		go func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
			}
		}()
	}
	go func() { select {} }()
	time.Sleep(20 * time.Millisecond)
	f, _ := os.Create(*out)
	trace.Start(f)
	time.Sleep(5 * time.Millisecond)
	w.Write([]byte("x"))
	close(ch)
	mu.Unlock()
	time.Sleep(10 * time.Millisecond)
	close(stop)
	time.Sleep(2 * time.Millisecond)
	trace.Stop()
	f.Close()
	w2.Write([]byte("y"))
	_ = w
}
