package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func nest(ctx context.Context, d int) {
	if d == 0 {
		trace.Log(ctx, "", "bottom")
		time.Sleep(100 * time.Microsecond)
		return
	}
	c, task := trace.NewTask(ctx, fmt.Sprintf("nest%d", d))
	trace.WithRegion(c, fmt.Sprintf("lvl%d", d), func() { nest(c, d-1) })
	task.End()
}

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	ctx, big := trace.NewTask(context.Background(), "big")
	var wg sync.WaitGroup
	for g := 0; g < 50; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				r := trace.StartRegion(ctx, fmt.Sprintf("r%d", i%5))
				trace.Log(ctx, "", fmt.Sprintf("g%d i%d", g, i))
				trace.Logf(ctx, "cat", "%d", i)
				if i%7 == 0 {
					time.Sleep(20 * time.Microsecond)
				}
				r.End()
			}
		}(g)
	}
	wg.Wait()
	big.End()
	// regions opened in one goroutine and closed in another
	regs := make(chan *trace.Region, 10)
	go func() {
		for i := 0; i < 10; i++ {
			regs <- trace.StartRegion(ctx, "handoff")
		}
		close(regs)
	}()
	var hw sync.WaitGroup
	hw.Add(1)
	go func() {
		defer hw.Done()
		for r := range regs {
			r.End()
		}
	}()
	hw.Wait()
	// a region started and never ended; an end on another goroutine of a
	// region with the same name opened here
	trace.StartRegion(context.Background(), "never-ended")
	// tasks never ended
	for i := 0; i < 5; i++ {
		c, _ := trace.NewTask(context.Background(), "orphan")
		trace.Log(c, "", "")
		trace.Log(c, "", "empty-cat")
	}
	// a task ended twice and ended on another goroutine
	_, t2 := trace.NewTask(context.Background(), "twice")
	t2.End()
	t2.End()
	_, t3 := trace.NewTask(context.Background(), "elsewhere")
	done := make(chan bool)
	go func() { t3.End(); done <- true }()
	<-done
	// nested tasks 10 deep, several times concurrently
	var nw sync.WaitGroup
	for i := 0; i < 4; i++ {
		nw.Add(1)
		go func() { defer nw.Done(); nest(context.Background(), 10) }()
	}
	nw.Wait()
	trace.Log(context.Background(), "", "")
	trace.Stop()
	f.Close()
}
