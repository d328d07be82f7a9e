// Command deadlock shows a classic lock-ordering deadlock.
//
// Goroutine "transferAB" locks mutex A then B; goroutine "transferBA" locks B
// then A. A barrier makes sure each holds its first lock before reaching for
// the second one, so they always deadlock: both park forever with reason
// "sync" (sync.Mutex.Lock). The Go runtime does not report this as
// "all goroutines are asleep" because main is still waiting on a timer; after
// ~200ms main gives up (time.After), stops the trace cleanly and exits,
// leaving both goroutines blocked in the trace until its very end.
//
// Usage: go run ./deadlock -o trace.out
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

type account struct {
	mu      sync.Mutex
	name    string
	balance int
}

var (
	a = &account{name: "A", balance: 100}
	b = &account{name: "B", balance: 100}
)

// transfer locks from, then (after everybody holds a first lock) to.
func transfer(from, to *account, amount int, barrier *sync.WaitGroup, done chan<- string) {
	from.mu.Lock()
	defer from.mu.Unlock()
	barrier.Done()
	barrier.Wait() // both goroutines now hold their first mutex
	to.mu.Lock()   // ...and block here forever
	defer to.mu.Unlock()
	from.balance -= amount
	to.balance += amount
	done <- from.name + "->" + to.name
}

func transferAB(barrier *sync.WaitGroup, done chan<- string) { transfer(a, b, 10, barrier, done) }
func transferBA(barrier *sync.WaitGroup, done chan<- string) { transfer(b, a, 20, barrier, done) }

func main() {
	out := flag.String("o", "trace.out", "write the execution trace to `FILE`")
	timeout := flag.Duration("timeout", 200*time.Millisecond, "give up after this long")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}

	var barrier sync.WaitGroup
	barrier.Add(2)
	done := make(chan string, 2)
	go transferAB(&barrier, done)
	go transferBA(&barrier, done)

	finished := 0
	timer := time.After(*timeout)
	result := "no deadlock?!"
loop:
	for finished < 2 {
		select {
		case <-done:
			finished++
		case <-timer:
			result = fmt.Sprintf("deadlock: %d of 2 transfers finished after %v", finished, *timeout)
			break loop
		}
	}

	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(result)
}
