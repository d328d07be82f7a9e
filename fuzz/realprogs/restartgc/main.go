package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/trace"
	"time"
)

var sinks [4][][]byte

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	for g := 0; g < 4; g++ {
		go func(g int) {
			for i := 0; ; i++ {
				sinks[g] = append(sinks[g], make([]byte, 1024+i%4096))
				if len(sinks[g]) > 4000 {
					sinks[g] = nil
				}
			}
		}(g)
	}
	time.Sleep(20 * time.Millisecond)
	for k := 1; k <= 6; k++ {
		name := *out
		if k > 1 {
			name = fmt.Sprintf("%s.%d", *out, k)
		}
		f, _ := os.Create(name)
		trace.Start(f)
		time.Sleep(3 * time.Millisecond)
		trace.Stop()
		f.Close()
	}
}
