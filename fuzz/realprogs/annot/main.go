package main

import (
	"context"
	"flag"
	"os"
	"runtime/trace"
	"strings"
	"sync"
	"time"
)

func main() {
	out := flag.String("o", "out.trace", "trace file")
	long := flag.Int("long", 70000, "long message length")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	ctx, root := trace.NewTask(context.Background(), "root")
	var wg sync.WaitGroup
	ended := make(chan *trace.Task, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c2, t := trace.NewTask(ctx, "child\x00nul")
			c3, t3 := trace.NewTask(c2, "grandchild ünïcødé 漢字")
			trace.Log(c3, "", "")
			trace.Log(c3, "ctl\x1b[31mred\x07", "msg\twith\ttabs\nnewline\r\x1b[2J")
			trace.Log(c3, "漢字カテゴリ", "😀 emoji")
			trace.Log(c3, "long", strings.Repeat("L", *long))
			r := trace.StartRegion(c3, "unended region "+strings.Repeat("x", i))
			_ = r // never ended
			trace.WithRegion(c3, "", func() { time.Sleep(100 * time.Microsecond) })
			trace.WithRegion(c3, "\x1b]0;title\x07", func() {})
			t3.End()
			ended <- t // ended by another goroutine
		}(i)
	}
	wg.Wait()
	close(ended)
	done := make(chan bool)
	go func() {
		for t := range ended {
			t.End()
		}
		done <- true
	}()
	<-done
	// task never ended, region never ended across goroutine exit
	_, never := trace.NewTask(ctx, "")
	_ = never
	trace.Log(context.Background(), "bg", "no task")
	r := trace.StartRegion(ctx, "main unended")
	_ = r
	trace.Logf(ctx, "fmt", "%d%%s", 5)
	root.End()
	root.End() // double end
	trace.Stop()
	f.Close()
}
