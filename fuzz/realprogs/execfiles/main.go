package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/trace"
	"sync"
)

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	dir, _ := os.MkdirTemp("", "execfiles")
	defer os.RemoveAll(dir)
	f, _ := os.Create(*out)
	trace.Start(f)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				exec.Command("/bin/true").Run()
			}
		}(g)
	}
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			data := make([]byte, 4096)
			for i := 0; i < 500; i++ {
				p := filepath.Join(dir, fmt.Sprintf("f%d-%d", g, i))
				os.WriteFile(p, data, 0644)
				b, _ := os.ReadFile(p)
				_ = b
			}
		}(g)
	}
	wg.Wait()
	for i := 0; i < 5; i++ {
		ents, _ := os.ReadDir(dir)
		_ = ents
	}
	c := exec.Command("sh", "-c", "ls -l "+dir+" | wc -l")
	c.Output()
	trace.Stop()
	f.Close()
}
