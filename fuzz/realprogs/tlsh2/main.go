package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func cert() tls.Certificate {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func main() {
	out := flag.String("o", "out.trace", "trace file")
	flag.Parse()
	f, _ := os.Create(*out)
	trace.Start(f)
	c := cert()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.Write(make([]byte, 8192))
		}),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{c}, NextProtos: []string{"h2", "http/1.1"}},
	}
	go srv.ServeTLS(ln, "", "")
	url := "https://" + ln.Addr().String() + "/"
	h2 := &http.Client{Transport: &http.Transport{ForceAttemptHTTP2: true,
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	h1 := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}}
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			cl := h2
			if g%4 == 0 {
				cl = h1
			}
			for i := 0; i < 15; i++ {
				resp, err := cl.Get(url)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}(g)
	}
	wg.Wait()
	// raw TLS conn too
	tl, _ := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{c}})
	go func() {
		cn, err := tl.Accept()
		if err == nil {
			io.Copy(cn, cn)
			cn.Close()
		}
	}()
	cn, err := tls.Dial("tcp", tl.Addr().String(), &tls.Config{InsecureSkipVerify: true})
	if err == nil {
		buf := make([]byte, 1024)
		for i := 0; i < 50; i++ {
			cn.Write(buf)
			io.ReadFull(cn, buf)
		}
		cn.Close()
	}
	srv.Close()
	trace.Stop()
	f.Close()
}
