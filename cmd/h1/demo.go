package main

import (
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/h1dev/h1/h1"
	"github.com/h1dev/h1/h1/fetch"
	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/tlsx"
)

func runDemo(args []string, stdout, stderr io.Writer) int {
	if len(args) != 0 {
		fmt.Fprint(stderr, "usage: h1 demo\n")
		return exitUsage
	}
	if err := demo(stdout); err != nil {
		fmt.Fprintf(stderr, "h1 demo: %v\n", err)
		return 1
	}
	return exitOK
}

// demoCA is a certificate authority made on the spot, and the server
// certificate it signed for 127.0.0.1 and localhost.
type demoCA struct {
	roots *x509.CertPool
	cert  tls.Certificate
}

func newDemoCA() (*demoCA, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "h1 demo CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(caCert)
	return &demoCA{roots: roots, cert: tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key}}, nil
}

// demoHandler serves what the demo fetches, and counts connections.
func demoHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello from a loopback server\n")
	})
	mux.HandleFunc("/chunked-gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Trailer", "X-Checksum")
		zw := gzip.NewWriter(w)
		for i := range 20 {
			fmt.Fprintf(zw, "line %02d of a streamed, compressed, chunked body\n", i)
			zw.Flush()
			w.(http.Flusher).Flush()
		}
		zw.Close()
		w.Header().Set("X-Checksum", "demo-123")
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hello", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		const size = 32 << 20
		w.Header().Set("Content-Length", strconv.Itoa(size))
		block := []byte(strings.Repeat("0123456789abcdef", 4096))
		for range size / len(block) {
			if _, err := w.Write(block); err != nil {
				return
			}
		}
	})
	return mux
}

// startServer serves h on a loopback port, over TLS when cert is set.
func startServer(h http.Handler, conns *atomic.Int32, cert *tls.Certificate) (*http.Server, string, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{Handler: h, ErrorLog: nil, ConnState: func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}}
	scheme := "http"
	if cert != nil {
		scheme = "https"
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}, MaxVersion: tls.VersionTLS12}
		srv.ErrorLog = quietLog()
		go func() { _ = srv.ServeTLS(ln, "", "") }()
	} else {
		go func() { _ = srv.Serve(ln) }()
	}
	return srv, scheme + "://" + ln.Addr().String(), nil
}

func demo(w io.Writer) error {
	start := time.Now()
	ca, err := newDemoCA()
	if err != nil {
		return err
	}
	var plainConns, tlsConns atomic.Int32
	plain, plainURL, err := startServer(demoHandler(), &plainConns, nil)
	if err != nil {
		return err
	}
	defer plain.Close()
	secure, tlsURL, err := startServer(demoHandler(), &tlsConns, &ca.cert)
	if err != nil {
		return err
	}
	defer secure.Close()
	fmt.Fprintf(w, "h1 demo: loopback servers %s and %s (TLS 1.2, a CA made %s ago)\n\n", plainURL, tlsURL, since(start))

	pool := &fetch.Pool{}
	defer pool.CloseIdleConnections()
	trust := tlsx.Client(ca.roots, "")
	step := func(name string, f func() (string, error)) error {
		t := time.Now()
		note, err := f()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(w, "%-34s %9s  %s\n", name, since(t), note)
		return nil
	}
	get := func(url string, r *fetch.Request) (*fetch.Response, error) {
		if r.Pool == nil {
			r.Pool = pool
		}
		if r.TLS == nil {
			r.TLS = trust
		}
		resp := r.Do(context.Background(), h1.MethodGet, url, nil, nil)
		return resp, resp.Err
	}

	// 1. Keep-alive: three requests, one connection per server.
	for _, base := range []string{plainURL, tlsURL} {
		kind := "plain"
		if strings.HasPrefix(base, "https") {
			kind = "TLS"
		}
		for i := 1; i <= 3; i++ {
			if err := step(fmt.Sprintf("GET /hello (%s) #%d", kind, i), func() (string, error) {
				resp, err := get(base+"/hello", &fetch.Request{})
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("%d, %q", resp.Status, strings.TrimSpace(string(resp.Body))), nil
			}); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(w, "%-34s %9s  %d connection(s) to the plain server, %d to the TLS one\n", "  kept alive:", "", plainConns.Load(), tlsConns.Load())

	// 2. Chunked, gzip-encoded, with a trailer: decoded as it streams.
	if err := step("GET /chunked-gzip (TLS)", func() (string, error) {
		resp, err := get(tlsURL+"/chunked-gzip", &fetch.Request{})
		if err != nil {
			return "", err
		}
		ce, _ := resp.Header("Content-Encoding")
		return fmt.Sprintf("%d, Content-Encoding %s, %d lines decoded, trailers %q", resp.Status, ce, strings.Count(string(resp.Body), "\n"), resp.Trailers), nil
	}); err != nil {
		return err
	}

	// 3. A redirect, followed per RFC 9110.
	if err := step("GET /old (301)", func() (string, error) {
		resp, err := get(plainURL+"/old", fetch.NewRequest())
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d after %d redirect -> %s", resp.Status, resp.Redirects, resp.URL), nil
	}); err != nil {
		return err
	}

	// 4. A large download with progress, counted and bounded.
	if err := step("GET /big 32 MiB (TLS)", func() (string, error) {
		next := 25
		marks := []string{}
		r := &fetch.Request{OnProgress: func(p fetch.Progress) {
			if p.Total > 0 && p.Downloaded*100/p.Total >= int64(next) {
				marks = append(marks, strconv.Itoa(next)+"%")
				next += 25
			}
		}}
		t := time.Now()
		resp, err := get(tlsURL+"/big", r)
		if err != nil {
			return "", err
		}
		mib := float64(len(resp.Body)) / (1 << 20)
		return fmt.Sprintf("%d, %.0f MiB at %.0f MiB/s, progress %s", resp.Status, mib, mib/time.Since(t).Seconds(), strings.Join(marks, " ")), nil
	}); err != nil {
		return err
	}

	// 5. Godot's loop: a Client advanced by Poll from a frame loop.
	if err := step("poll-driven Client (Godot's loop)", func() (string, error) {
		return godotLoop(tlsURL, trust)
	}); err != nil {
		return err
	}

	// 6. A TLS failure, caught and explained: the system roots do not
	// trust the demo's CA.
	if err := step("GET with the system roots (TLS)", func() (string, error) {
		resp := (&fetch.Request{Pool: pool, TLS: tlsx.Client(nil, "")}).Do(context.Background(), h1.MethodGet, tlsURL+"/hello", nil, nil)
		if resp.Result != fetch.ResultTLSHandshakeError {
			return "", fmt.Errorf("expected a TLS failure, got %v (%v)", resp.Result, resp.Err)
		}
		why := "handshake failed"
		switch {
		case errors.Is(resp.Err, tlsx.ErrUnknownAuthority):
			why = "the certificate is signed by an authority the system does not trust"
		case errors.Is(resp.Err, tlsx.ErrHostnameMismatch):
			why = "the certificate is for another name"
		}
		return fmt.Sprintf("refused as it should be: %v (%s)", resp.Result, why), nil
	}); err != nil {
		return err
	}

	// 7. The strict parser: a response that could desynchronise a proxy.
	bad := []byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
	var fields [8]parser.Header
	hd := parser.ResponseHead{Headers: fields[:0]}
	_, err = parser.ParseResponseHead(bad, &hd)
	var pe *parser.ProtocolError
	if !errors.As(err, &pe) {
		return fmt.Errorf("smuggling sample accepted: %v", err)
	}
	fmt.Fprintf(w, "%-34s %9s  refused: %v\n", "strict parsing (CL + TE)", "", err)
	fmt.Fprintf(w, "\ndone in %s; nothing left on disk, no network used\n", since(start))
	return nil
}

// godotLoop is the tutorial loop of Godot's HTTPClient, in Go.
func godotLoop(base string, trust *tlsx.Options) (string, error) {
	var c h1.Client
	defer c.Close()
	u := strings.TrimPrefix(base, "https://")
	host, portStr, _ := strings.Cut(u, ":")
	port, _ := strconv.Atoi(portStr)
	if err := c.ConnectToHost("https://"+host, port, trust); err != nil {
		return "", err
	}
	frames := 0
	frame := func() { frames++; time.Sleep(time.Millisecond) } // a game's frame
	for c.Status() == h1.StatusConnecting || c.Status() == h1.StatusResolving {
		c.Poll()
		frame()
	}
	if c.Status() != h1.StatusConnected {
		return "", c.Err()
	}
	if err := c.Request(h1.MethodGet, "/chunked-gzip", []string{"Accept-Encoding: identity"}, nil); err != nil {
		return "", err
	}
	for c.Status() == h1.StatusRequesting {
		c.Poll()
		frame()
	}
	var body []byte
	for c.Status() == h1.StatusBody {
		var err error
		if body, err = c.ReadResponseBodyChunkInto(body); err != nil {
			return "", err
		}
		frame()
	}
	if err := c.Err(); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d after %d frames, chunked %v, %d body bytes", c.ResponseCode(), frames, c.IsResponseChunked(), len(body)), nil
}

func since(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	default:
		return d.Round(10 * time.Microsecond).String()
	}
}
