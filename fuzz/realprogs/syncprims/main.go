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
	f, _ := os.Create(*out)
	trace.Start(f)
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready := 0
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			for ready == 0 {
				cond.Wait()
			}
			mu.Unlock()
		}()
	}
	time.Sleep(time.Millisecond)
	mu.Lock()
	ready = 1
	cond.Signal()
	mu.Unlock()
	time.Sleep(500 * time.Microsecond)
	cond.Broadcast()
	wg.Wait()
	var rw sync.RWMutex
	m := map[int]int{}
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 300; j++ {
				if j%10 == 0 {
					rw.Lock()
					m[j] = i
					time.Sleep(10 * time.Microsecond)
					rw.Unlock()
				} else {
					rw.RLock()
					_ = m[j]
					rw.RUnlock()
				}
			}
		}(i)
	}
	wg.Wait()
	var once sync.Once
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { time.Sleep(2 * time.Millisecond) })
		}()
	}
	wg.Wait()
	chans := make([]chan int, 8)
	for i := range chans {
		chans[i] = make(chan int)
	}
	done := make(chan bool)
	go func() {
		for k := 0; k < 100; k++ {
			chans[k%8] <- k
			if k%9 == 0 {
				time.Sleep(200 * time.Microsecond)
			}
		}
		close(done)
	}()
	to := 0
	for fin := false; !fin; {
		select {
		case <-chans[0]:
		case <-chans[1]:
		case <-chans[2]:
		case <-chans[3]:
		case <-chans[4]:
		case <-chans[5]:
		case <-chans[6]:
		case <-chans[7]:
		case <-done:
			fin = true
		case <-time.After(100 * time.Microsecond):
			to++
		}
	}
	// waitgroup waiter chain
	var wg2 sync.WaitGroup
	wg2.Add(1)
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); wg2.Wait() }()
	}
	time.Sleep(time.Millisecond)
	wg2.Done()
	wg.Wait()
	trace.Stop()
	f.Close()
}
