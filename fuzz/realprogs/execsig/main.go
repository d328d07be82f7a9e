package main

import (
	"flag"
	"os"
	"os/exec"
	"os/signal"
	"runtime/trace"
	"syscall"
	"time"
)

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	sig := make(chan os.Signal, 16)
	signal.Notify(sig, syscall.SIGUSR1, syscall.SIGUSR2)
	got := make(chan int)
	go func() {
		n := 0
		for range sig {
			n++
			if n == 6 {
				got <- n
			}
		}
	}()
	for i := 0; i < 3; i++ {
		syscall.Kill(os.Getpid(), syscall.SIGUSR1)
		syscall.Kill(os.Getpid(), syscall.SIGUSR2)
		time.Sleep(time.Millisecond)
	}
	select {
	case <-got:
	case <-time.After(500 * time.Millisecond):
	}
	cmd := exec.Command("sh", "-c", "echo hello; sleep 0.01")
	cmd.Output()
	exec.Command("true").Run()
	fired := make(chan bool, 10)
	for i := 0; i < 5; i++ {
		time.AfterFunc(time.Duration(i)*time.Millisecond, func() { fired <- true })
	}
	t := time.AfterFunc(time.Hour, func() {})
	t.Stop()
	tk := time.NewTicker(500 * time.Microsecond)
	for i := 0; i < 20; i++ {
		<-tk.C
	}
	tk.Stop()
	for i := 0; i < 5; i++ {
		<-fired
	}
	trace.Stop()
	f.Close()
}
