package main

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		ch := make(chan int)
		for i := 0; i < 5; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				time.Sleep(time.Duration(i) * time.Second)
				select {
				case ch <- i:
				case <-ctx.Done():
				}
			}(i)
		}
		for i := 0; i < 3; i++ {
			<-ch
		}
		synctest.Wait()
		<-ctx.Done()
		wg.Wait()
	})
}

func TestBubble2(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tk := time.NewTicker(time.Minute)
		for i := 0; i < 10; i++ {
			<-tk.C
		}
		tk.Stop()
	})
}
