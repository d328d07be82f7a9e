package main

import (
	"errors"
	"flag"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
)

func deep(n int) int {
	var buf [64]byte
	buf[n%64] = byte(n)
	if n == 0 {
		return int(buf[0])
	}
	return deep(n-1) + int(buf[n%64])
}

func mayPanic(i int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("recovered")
		}
	}()
	if i%3 == 0 {
		panic(i)
	}
	if i%3 == 1 {
		var m map[int]int
		m[1] = 1
	}
	return nil
}

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			mayPanic(i)
			if i%5 == 0 {
				runtime.Goexit()
			}
		}(i)
	}
	wg.Wait()
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); deep(20000) }()
	}
	wg.Wait()
	for i := 0; i < 10000; i++ {
		wg.Add(1)
		go func() { wg.Done() }()
	}
	wg.Wait()
	trace.Stop()
	f.Close()
}
