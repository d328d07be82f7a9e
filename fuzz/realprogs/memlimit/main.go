package main

import (
	"flag"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/trace"
	"sync"
)

var keep int

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(64 << 20)
	f, _ := os.Create(*out)
	trace.Start(f)
	var wg sync.WaitGroup
	stop := make(chan bool)
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sink [][]byte
			for {
				select {
				case <-stop:
					return
				default:
				}
				b := make([]byte, 64<<10)
				sink = append(sink, b)
				if len(sink) > 600 {
					sink = sink[300:]
				}
				keep += len(sink)
			}
		}()
	}
	buf := make([]byte, 1<<20)
	var ms runtime.MemStats
	for i := 0; i < 60; i++ {
		runtime.ReadMemStats(&ms)
		runtime.Stack(buf, true)
		switch i {
		case 20:
			debug.SetGCPercent(50)
			debug.SetMemoryLimit(1 << 40)
		case 40:
			debug.SetGCPercent(400)
		case 50:
			debug.SetGCPercent(-1)
			debug.SetMemoryLimit(48 << 20)
		}
		if i%20 == 5 {
			if nf, err := os.OpenFile("/dev/null", os.O_WRONLY, 0); err == nil {
				debug.WriteHeapDump(nf.Fd())
				nf.Close()
			}
		}
	}
	close(stop)
	wg.Wait()
	debug.FreeOSMemory()
	trace.Stop()
	f.Close()
}
