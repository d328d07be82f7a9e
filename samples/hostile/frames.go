// WARNING: this file deliberately contains raw terminal control bytes
// (ESC, BEL) in //line directives below. Do not cat it to a terminal;
// view it with "cat -v" or "less". The directives give the functions below
// hostile *file names* in stack traces, which a trace viewer must escape.

package main

import (
	"context"
	"runtime/trace"
	"sync"
)

// hostileFrames calls through frames whose file names are hostile and then
// blocks until release is closed.
func hostileFrames(ctx context.Context, i int, release <-chan struct{}, ready *sync.WaitGroup) {
	frameTitle(ctx, i, release, ready)
}

//line ]0;PWNED‮og.live:100
func frameTitle(ctx context.Context, i int, release <-chan struct{}, ready *sync.WaitGroup) {
	trace.Logf(ctx, "frames", "goroutine %d", i)
	frameClear(ctx, release, ready)
}

//line [2J[H​31mclear.go:200
func frameClear(ctx context.Context, release <-chan struct{}, ready *sync.WaitGroup) {
	trace.WithRegion(ctx, "blocked in hostile frame", func() {
		ready.Done()
		<-release
	})
}
