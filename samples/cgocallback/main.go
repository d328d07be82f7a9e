//go:build cgo

// Command cgocallback shows C threads calling into Go (cgo callbacks), the
// way a C library with its own worker threads calls a Go handler.
//
// Four goroutines call a C function that sleeps 200µs (C.work), 50 times
// each: each call is a Syscall span of the calling goroutine. Then C starts
// four threads of its own (pthreads, not Go's); each calls the exported Go
// function goHandle 10 times, 1ms apart, and exits. A thread that was not
// made by Go gets an "extra M" and a goroutine for its callbacks: in the
// trace that goroutine is created in a syscall (NotExist->Syscall), runs the
// callback, stays in Syscall while the thread is back in C, and ends
// (Syscall->NotExist) when the thread exits. A second round of four threads
// reuses the extra Ms, so their goroutines come back with the same ids.
//
// Go's blocking profiles (go tool trace -pprof=syscall|sched) clip every
// interval of a goroutine id to the window of its last life; gotv pprof
// reproduces that.
//
// Usage: go run ./cgocallback -o trace.out (needs cgo: CGO_ENABLED=1 and a C
// compiler)
package main

/*
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

extern void goHandle(int);

static void work(void) { usleep(200); }

static void *thread_main(void *arg) {
	int i;
	for (i = 0; i < 10; i++) {
		goHandle((int)(intptr_t)arg);
		usleep(1000);
	}
	return 0;
}

static void run_threads(int n) {
	pthread_t t[8];
	int i;
	if (n > 8)
		n = 8;
	for (i = 0; i < n; i++)
		pthread_create(&t[i], 0, thread_main, (void *)(intptr_t)i);
	for (i = 0; i < n; i++)
		pthread_join(t[i], 0);
}
*/
import "C"

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"time"
)

var handled atomic.Int64

//export goHandle
func goHandle(id C.int) {
	handled.Add(1)
	if id%2 == 0 {
		time.Sleep(100 * time.Microsecond) // a callback that blocks in Go
	}
}

func main() {
	out := flag.String("o", "trace.out", "trace file")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				C.work()
			}
		}()
	}
	wg.Wait()
	C.run_threads(4)
	C.run_threads(4)
	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("200 C calls from 4 goroutines, %d callbacks from 2 rounds of 4 C threads\n", handled.Load())
}
