package main

/*
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>
extern void goCallback(int);
static int cadd(int a, int b) { usleep(100); return a + b; }
static void* thr(void* arg) {
	int i;
	for (i = 0; i < 20; i++) goCallback((int)(intptr_t)arg * 100 + i);
	return 0;
}
static void spawn(int n) {
	pthread_t t[16];
	int i;
	for (i = 0; i < n; i++) pthread_create(&t[i], 0, thr, (void*)(intptr_t)i);
	for (i = 0; i < n; i++) pthread_join(t[i], 0);
}
static void callGo(int n) { int i; for (i = 0; i < n; i++) goCallback(-i); }
*/
import "C"

import (
	"flag"
	"os"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"time"
)

var total int64

//export goCallback
func goCallback(v C.int) {
	atomic.AddInt64(&total, int64(v))
	if v%7 == 0 {
		time.Sleep(10 * time.Microsecond)
	}
}

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				C.cadd(C.int(i), 1)
			}
		}()
	}
	C.spawn(8)
	C.callGo(50)
	wg.Wait()
	go C.spawn(3)
	time.Sleep(20 * time.Millisecond)
	trace.Stop()
	f.Close()
}
