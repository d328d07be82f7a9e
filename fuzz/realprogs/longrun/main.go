package main

/*
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>
extern void goCb(int);
static void* thr(void* arg) {
	int i;
	for (i = 0; i < 30; i++) { goCb((int)(intptr_t)arg); usleep(80000); }
	return 0;
}
static void spawn(int n) {
	pthread_t t;
	int i;
	for (i = 0; i < n; i++) { pthread_create(&t, 0, thr, (void*)(intptr_t)i); pthread_detach(t); }
}
static void csleep(int us) { usleep(us); }
*/
import "C"

import (
	"context"
	"flag"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

var mu sync.Mutex
var cnt int

//export goCb
func goCb(v C.int) {
	mu.Lock()
	cnt++
	mu.Unlock()
	if v == 1 {
		time.Sleep(200 * time.Microsecond)
	}
}

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	ctx, task := trace.NewTask(context.Background(), "long")
	C.spawn(3)
	var wg sync.WaitGroup
	// a goroutine in a long C call (syscall state) across generations
	wg.Add(1)
	go func() { defer wg.Done(); trace.WithRegion(ctx, "long C sleep", func() { C.csleep(1500000) }) }()
	// a locked thread goroutine across generations
	wg.Add(1)
	go func() {
		defer wg.Done()
		runtime.LockOSThread()
		for i := 0; i < 25; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	}()
	r := trace.StartRegion(ctx, "spans generations")
	for i := 0; i < 25; i++ {
		trace.Logf(ctx, "tick", "%d", i)
		if i == 12 {
			runtime.GOMAXPROCS(1)
		}
		if i == 18 {
			runtime.GOMAXPROCS(2)
			runtime.GC()
		}
		time.Sleep(100 * time.Millisecond)
	}
	r.End()
	wg.Wait()
	task.End()
	trace.Stop()
	f.Close()
}
