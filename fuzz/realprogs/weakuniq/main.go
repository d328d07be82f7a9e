package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
	"unique"
	"weak"
)

type blob struct{ b [256]byte; id int }

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var hs []unique.Handle[string]
			for i := 0; i < 5000; i++ {
				hs = append(hs, unique.Make(fmt.Sprintf("s%d", i%700)))
				if i%1000 == 0 {
					hs = hs[:0]
				}
			}
		}(g)
	}
	// weak pointers, Value calls racing with GC
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ws []weak.Pointer[blob]
			keep := []*blob{}
			for i := 0; i < 20000; i++ {
				b := &blob{id: i}
				ws = append(ws, weak.Make(b))
				if i%10 == 0 {
					keep = append(keep, b)
				}
				if i%500 == 0 {
					n := 0
					for _, w := range ws {
						if w.Value() != nil {
							n++
						}
					}
					ws = ws[:0]
				}
			}
			_ = keep
		}()
	}
	// GC in a loop to force weak-to-strong waits
	stop := make(chan bool)
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	}()
	// AddCleanup and blocking finalizers
	var cmu sync.Mutex
	cleaned := 0
	for i := 0; i < 2000; i++ {
		b := &blob{id: i}
		runtime.AddCleanup(b, func(id int) { cmu.Lock(); cleaned++; cmu.Unlock() }, i)
	}
	block := make(chan bool)
	for i := 0; i < 3; i++ {
		b := &blob{id: i}
		runtime.SetFinalizer(b, func(*blob) { <-block })
	}
	runtime.GC()
	runtime.GC()
	wg.Wait()
	close(stop)
	time.Sleep(10 * time.Millisecond)
	close(block)
	runtime.GC()
	time.Sleep(5 * time.Millisecond)
	trace.Stop()
	f.Close()
}
