package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/trace"
	"sync"
)

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	// UDP
	uc, _ := net.ListenPacket("udp", "127.0.0.1:0")
	go func() {
		buf := make([]byte, 1500)
		for {
			n, a, err := uc.ReadFrom(buf)
			if err != nil {
				return
			}
			uc.WriteTo(buf[:n], a)
		}
	}()
	cc, _ := net.Dial("udp", uc.LocalAddr().String())
	buf := make([]byte, 1500)
	for i := 0; i < 50; i++ {
		cc.Write([]byte("ping"))
		cc.Read(buf)
	}
	cc.Close()
	uc.Close()
	// unix socket
	dir, _ := os.MkdirTemp("", "nio")
	sp := filepath.Join(dir, "s")
	ul, _ := net.Listen("unix", sp)
	go func() {
		for {
			c, err := ul.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("unix", sp)
			if err != nil {
				return
			}
			b := make([]byte, 64)
			for j := 0; j < 20; j++ {
				c.Write([]byte("hello"))
				io.ReadFull(c, b[:5])
			}
			c.Close()
		}()
	}
	wg.Wait()
	ul.Close()
	os.RemoveAll(dir)
	// HTTP
	hl, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hi %s", r.URL.Path)
	})}
	go srv.Serve(hl)
	tr := &http.Transport{MaxIdleConnsPerHost: 100}
	cl := &http.Client{Transport: tr}
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 3; j++ {
				resp, err := cl.Get(fmt.Sprintf("http://%s/%d", hl.Addr(), i))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}(i)
	}
	wg.Wait()
	tr.CloseIdleConnections()
	srv.Close()
	trace.Stop()
	f.Close()
}
