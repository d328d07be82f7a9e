// Command httpnet runs an HTTP server and clients in one process over the
// loopback interface (127.0.0.1, random port, net/http).
//
// The handler sleeps ~15ms before answering (a slow backend), so the client
// goroutines spend most of their time blocked with reason "network" (reading
// the response from the socket via the netpoller), and server connection
// goroutines block on "network" waiting for the next request on a keep-alive
// connection. The sleep itself appears as "sleep" blocking in the handler
// goroutines. Six clients send eight requests each.
//
// Usage: go run ./httpnet -o trace.out
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime/trace"
	"strings"
	"sync"
	"time"
)

func slowHandler(delay time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay) // slow backend
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "hello %s\n%s", r.URL.Query().Get("client"), strings.Repeat("x", 2048))
	}
}

func client(id int, url string, n int, hc *http.Client, wg *sync.WaitGroup, errs chan<- error) {
	defer wg.Done()
	for i := 0; i < n; i++ {
		resp, err := hc.Get(fmt.Sprintf("%s/work?client=%d&req=%d", url, id, i))
		if err != nil {
			errs <- err
			return
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			errs <- err
			return
		}
	}
}

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	clients := flag.Int("clients", 6, "concurrent clients")
	reqs := flag.Int("requests", 8, "requests per client")
	delay := flag.Duration("delay", 15*time.Millisecond, "server handler delay")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/work", slowHandler(*delay))
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)

	url := "http://" + ln.Addr().String()
	hc := &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: *clients},
		Timeout:   5 * time.Second,
	}
	var wg sync.WaitGroup
	errs := make(chan error, *clients)
	t0 := time.Now()
	for i := 0; i < *clients; i++ {
		wg.Add(1)
		go client(i, url, *reqs, hc, &wg, errs)
	}
	wg.Wait()
	elapsed := time.Since(t0)
	close(errs)

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	srv.Shutdown(ctx)
	cancel()
	hc.CloseIdleConnections()

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	for err := range errs {
		log.Fatal(err)
	}
	fmt.Printf("%d clients x %d requests in %v\n", *clients, *reqs, elapsed.Round(time.Millisecond))
}
