package main

import (
	"flag"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/trace"
	"sync"
)

type obj struct {
	data [256]byte
	next *obj
}

var sink []*obj

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	debug.SetMemoryLimit(8 << 20)
	debug.SetGCPercent(50)
	for i := 0; i < 200; i++ {
		o := &obj{}
		runtime.SetFinalizer(o, func(o *obj) { o.data[0] = 1 })
	}
	runtime.GC()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var l []*obj
			for i := 0; i < 20000; i++ {
				l = append(l, &obj{})
				if len(l) > 5000 {
					l = nil
				}
			}
		}()
	}
	wg.Wait()
	runtime.GC()
	debug.FreeOSMemory()
	debug.SetMemoryLimit(1 << 20)
	for i := 0; i < 3000; i++ {
		sink = append(sink, &obj{})
	}
	sink = nil
	runtime.GC()
	debug.FreeOSMemory()
	debug.SetMemoryLimit(math.MaxInt64)
	trace.Stop()
	f.Close()
}
