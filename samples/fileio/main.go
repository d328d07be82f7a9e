// Command fileio does blocking file I/O: write, fsync, read.
//
// Four goroutines each write 24 files of 64 KiB into a fresh directory under
// os.TempDir(), calling f.Sync (fsync) after each, then read all their
// files back and finally the directory is removed. Regular file I/O is not
// handled by the netpoller, so each write/fsync/read/open/close is a real
// blocking system call: the goroutine goes Running->Syscall, and while it
// sits in a slow fsync the runtime may hand its P to another goroutine
// (the P shows up as idle or stolen). Regions "write", "fsync" and "read"
// mark the phases.
//
// Usage: go run ./fileio -o trace.out
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime/trace"
	"sync"
)

func writer(ctx context.Context, dir string, id, files, size int, wg *sync.WaitGroup, errs chan<- error) {
	defer wg.Done()
	buf := make([]byte, size)
	for i := range buf {
		buf[i] = byte(id + i)
	}
	for i := 0; i < files; i++ {
		name := filepath.Join(dir, fmt.Sprintf("w%d-%03d.dat", id, i))
		f, err := os.Create(name)
		if err != nil {
			errs <- err
			return
		}
		trace.WithRegion(ctx, "write", func() { _, err = f.Write(buf) })
		if err == nil {
			trace.WithRegion(ctx, "fsync", func() { err = f.Sync() })
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			errs <- err
			return
		}
	}
	var total int64
	trace.WithRegion(ctx, "read", func() {
		for i := 0; i < files; i++ {
			f, err := os.Open(filepath.Join(dir, fmt.Sprintf("w%d-%03d.dat", id, i)))
			if err != nil {
				errs <- err
				return
			}
			n, err := io.Copy(io.Discard, f)
			f.Close()
			if err != nil {
				errs <- err
				return
			}
			total += n
		}
	})
	trace.Logf(ctx, "fileio", "writer %d read back %d bytes", id, total)
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	writers := flag.Int("writers", 4, "concurrent writer goroutines")
	files := flag.Int("files", 24, "files per writer")
	size := flag.Int("size", 64<<10, "bytes per file")
	flag.Parse()

	dir, err := os.MkdirTemp(os.TempDir(), "gotv-fileio-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, *writers)
	for i := 0; i < *writers; i++ {
		wg.Add(1)
		go writer(ctx, dir, i, *files, *size, &wg, errs)
	}
	wg.Wait()
	close(errs)
	rmErr := os.RemoveAll(dir)

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	for err := range errs {
		log.Fatal(err)
	}
	if rmErr != nil {
		log.Fatal(rmErr)
	}
	fmt.Printf("%d writers x %d files x %d bytes written, fsynced, read back and removed (%s)\n", *writers, *files, *size, dir)
}
