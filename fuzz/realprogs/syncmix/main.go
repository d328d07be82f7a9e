package main

import (
	"errors"
	"flag"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

type group struct {
	wg   sync.WaitGroup
	once sync.Once
	err  error
}

func (g *group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.once.Do(func() { g.err = err })
		}
	}()
}
func (g *group) Wait() error { g.wg.Wait(); return g.err }

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	// Cond broadcast to many waiters
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	gen := 0
	var wg sync.WaitGroup
	for i := 0; i < 300; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			for r := 1; r <= 3; r++ {
				for gen < r {
					cond.Wait()
				}
			}
			mu.Unlock()
		}()
	}
	for r := 1; r <= 3; r++ {
		time.Sleep(3 * time.Millisecond)
		mu.Lock()
		gen = r
		cond.Broadcast()
		mu.Unlock()
	}
	wg.Wait()
	// sync.Map
	var m sync.Map
	var mwg sync.WaitGroup
	for g := 0; g < 16; g++ {
		mwg.Add(1)
		go func(g int) {
			defer mwg.Done()
			for i := 0; i < 3000; i++ {
				k := (i * (g + 1)) % 512
				if i%4 == 0 {
					m.Store(k, i)
				} else if i%7 == 0 {
					m.Delete(k)
				} else {
					m.LoadOrStore(k, g)
				}
			}
		}(g)
	}
	mwg.Wait()
	// semaphore via buffered chan
	sem := make(chan struct{}, 4)
	var swg sync.WaitGroup
	for i := 0; i < 100; i++ {
		swg.Add(1)
		go func(i int) {
			defer swg.Done()
			sem <- struct{}{}
			time.Sleep(time.Duration(50+i%5*20) * time.Microsecond)
			<-sem
		}(i)
	}
	swg.Wait()
	// errgroup-like fan-out
	var g group
	res := make([]int, 64)
	for i := 0; i < 64; i++ {
		i := i
		g.Go(func() error {
			s := 0
			for j := 0; j < 20000; j++ {
				s += j ^ i
			}
			res[i] = s
			if i == 33 {
				return errors.New("boom")
			}
			return nil
		})
	}
	_ = g.Wait()
	trace.Stop()
	f.Close()
}
