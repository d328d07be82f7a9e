package x

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func work(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i * i % 7
	}
	return s
}

func TestPar(t *testing.T) {
	for i := 0; i < 12; i++ {
		i := i
		t.Run(fmt.Sprintf("sub%d", i), func(t *testing.T) {
			t.Parallel()
			time.Sleep(time.Duration(i) * 200 * time.Microsecond)
			if work(200000+i*1000) < 0 {
				t.Fatal("neg")
			}
			t.Run("inner", func(t *testing.T) {
				t.Parallel()
				work(50000)
			})
		})
	}
}

func TestSeq(t *testing.T) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); mu.Lock(); work(10000); mu.Unlock() }()
	}
	wg.Wait()
}

func BenchmarkPar(b *testing.B) {
	var mu sync.Mutex
	m := map[int]int{}
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			mu.Lock()
			m[i%100] += work(1000)
			mu.Unlock()
			i++
		}
	})
}

func BenchmarkSeq(b *testing.B) {
	for i := 0; i < b.N; i++ {
		work(5000)
	}
}
