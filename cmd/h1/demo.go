package main

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/h1dev/h1/conn"
	"github.com/h1dev/h1/parser"
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

// demoHandler serves the responses the demo fetches.
func demoHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello from a loopback net/http server\n")
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Checksum")
		for i := range 4 {
			fmt.Fprintf(w, "chunk %d\n", i)
			w.(http.Flusher).Flush()
		}
		w.Header().Set("X-Checksum", "demo-123")
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = io.WriteString(zw, strings.Repeat("compressible text ", 200))
		_ = zw.Close()
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hello", http.StatusFound)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(8<<20))
		block := []byte(strings.Repeat("0123456789abcdef", 4096))
		for range (8 << 20) / len(block) {
			_, _ = w.Write(block)
		}
	})
	return mux
}

// exchange writes one GET on a kept-alive peer and reads its response with
// the parser: the head in place, then the body by its framing.
type exchange struct {
	peer   *conn.TCP
	host   string
	port   int
	buf    []byte // bytes read and not yet used
	fields [64]parser.Header
}

type result struct {
	head     parser.ResponseHead
	body     []byte
	trailers []string
}

func (x *exchange) fill() error {
	if err := x.peer.WaitReadable(10 * time.Second); err != nil {
		return err
	}
	if len(x.buf) == cap(x.buf) {
		x.buf = append(x.buf, make([]byte, len(x.buf))...)[:len(x.buf)]
	}
	n, err := x.peer.GetPartialData(x.buf[len(x.buf):cap(x.buf)])
	x.buf = x.buf[:len(x.buf)+n]
	if n == 0 && err == nil {
		return nil
	}
	return err
}

func (x *exchange) get(target string) (*result, error) {
	req, err := parser.AppendRequestHead(nil, &parser.Request{Method: "GET", Target: target, Host: x.host, Port: x.port, ContentLength: -1})
	if err != nil {
		return nil, err
	}
	if err := x.peer.PutData(req); err != nil {
		return nil, err
	}
	res := &result{head: parser.ResponseHead{Headers: x.fields[:0]}}
	var n int
	for {
		n, err = parser.ParseResponseHead(x.buf, &res.head)
		if err != parser.ErrNeedMore {
			break
		}
		if err := x.fill(); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	// Copy what the demo prints out of the buffer before it moves.
	res.head.Reason = append([]byte(nil), res.head.Reason...)
	for i, f := range res.head.Headers {
		res.head.Headers[i] = parser.Header{Name: append([]byte(nil), f.Name...), Value: append([]byte(nil), f.Value...)}
	}
	x.buf = x.buf[:copy(x.buf, x.buf[n:])]
	switch res.head.Framing {
	case parser.FramingLength:
		for int64(len(x.buf)) < res.head.ContentLength {
			if err := x.fill(); err != nil {
				return nil, err
			}
		}
		res.body = append(res.body, x.buf[:res.head.ContentLength]...)
		x.buf = x.buf[:copy(x.buf, x.buf[res.head.ContentLength:])]
	case parser.FramingChunked:
		d := parser.ChunkedDecoder{Trailers: make([]parser.Header, 0, 8)}
		out := make([]byte, 32<<10)
		for !d.Done() {
			nd, ns, err := d.Decode(out, x.buf)
			res.body = append(res.body, out[:nd]...)
			if d.Done() {
				for _, t := range d.Trailers {
					res.trailers = append(res.trailers, string(t.Name)+": "+string(t.Value))
				}
			}
			x.buf = x.buf[:copy(x.buf, x.buf[ns:])]
			if err == parser.ErrNeedMore {
				if err := x.fill(); err != nil {
					return nil, err
				}
			} else if err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

func demo(w io.Writer) error {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: demoHandler()}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	fmt.Fprintf(w, "h1 demo: a net/http server on 127.0.0.1:%d, fetched over one raw-socket connection\n\n", port)

	var peer conn.TCP
	defer peer.Close()
	start := time.Now()
	if err := peer.ConnectToHost("127.0.0.1", port); err != nil {
		return err
	}
	if err := peer.WaitConnected(5 * time.Second); err != nil {
		return err
	}
	fmt.Fprintf(w, "connect                %8s  local port %d -> %s:%d\n", since(start), peer.LocalPort(), peer.ConnectedHost(), peer.ConnectedPort())

	x := &exchange{peer: &peer, host: "127.0.0.1", port: port, buf: make([]byte, 0, 64<<10)}
	for _, target := range []string{"/hello", "/chunked", "/gzip", "/redirect", "/big"} {
		start := time.Now()
		res, err := x.get(target)
		if err != nil {
			return fmt.Errorf("GET %s: %w", target, err)
		}
		h := &res.head
		note := fmt.Sprintf("%d bytes", len(res.body))
		switch target {
		case "/hello":
			note = fmt.Sprintf("%q", strings.TrimSpace(string(res.body)))
		case "/chunked":
			note += fmt.Sprintf(" in chunks, trailers %q", res.trailers)
		case "/gzip":
			zr, err := gzip.NewReader(strings.NewReader(string(res.body)))
			if err != nil {
				return err
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				return err
			}
			note += fmt.Sprintf(" gzip -> %d bytes", len(plain))
		case "/redirect":
			for _, f := range h.Headers {
				if strings.EqualFold(string(f.Name), "Location") {
					note = "Location: " + string(f.Value)
				}
			}
		case "/big":
			mb := float64(len(res.body)) / (1 << 20)
			note += fmt.Sprintf(" (%.0f MiB/s)", mb/time.Since(start).Seconds())
		}
		fmt.Fprintf(w, "GET %-18s %8s  %d %s, %s, keep-alive %v: %s\n", target, since(start), h.Status, h.Reason, h.Framing, h.KeepAlive, note)
	}

	// The strict parser at work: a response that could desynchronise a
	// proxy is refused with the rule it broke.
	bad := []byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
	var fields [8]parser.Header
	h := parser.ResponseHead{Headers: fields[:0]}
	_, err = parser.ParseResponseHead(bad, &h)
	var pe *parser.ProtocolError
	if !errors.As(err, &pe) {
		return fmt.Errorf("smuggling sample accepted: %v", err)
	}
	fmt.Fprintf(w, "\nstrict parsing: Content-Length beside Transfer-Encoding -> %v\n", err)
	fmt.Fprintf(w, "all requests used one connection (local port %d)\n", peer.LocalPort())
	return nil
}

func since(t time.Time) string {
	return time.Since(t).Round(time.Microsecond).String()
}
