package fetch

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/h1dev/h1/h1"
	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/tlsx"
)

func TestTraceHeadsAndTimes(t *testing.T) {
	final := "HTTP/1.1 200 OK\r\nX-Spaced:   as sent  \r\nContent-Length: 2\r\n\r\n"
	heads := make(chan string, 4)
	s := testpeer.NewRawServer(t, func(c net.Conn) {
		for {
			h, err := testpeer.ReadHead(c)
			if err != nil {
				return
			}
			heads <- h
			time.Sleep(5 * time.Millisecond) // a first byte that comes later than the request
			io.WriteString(c, "HTTP/1.1 103 Early Hints\r\nLink: </s>\r\n\r\n"+final+"ok")
		}
	})
	var sent, got []string
	tr := &h1.Trace{
		OnRequestHead:  func(h []byte) { sent = append(sent, string(h)) },
		OnResponseHead: func(h []byte) { got = append(got, string(h)) },
	}
	r := Request{Trace: tr}
	url := "http://127.0.0.1:" + strconv.Itoa(s.Port()) + "/t"
	for i := range 2 {
		sent, got = nil, nil
		resp := do(t, &r, h1.MethodGet, url, []string{"X-A:  b"}, nil)
		if resp.Err != nil || string(resp.Body) != "ok" {
			t.Fatalf("fetch %d: %v, %q", i, resp.Err, resp.Body)
		}
		if h := <-heads; len(sent) != 1 || sent[0] != h {
			t.Fatalf("fetch %d: OnRequestHead saw %q; the server read %q", i, sent, h)
		}
		if want := []string{"HTTP/1.1 103 Early Hints\r\nLink: </s>\r\n\r\n", final}; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("fetch %d: OnResponseHead saw %q; want %q", i, got, want)
		}
		if tr.Reused != (i == 1) {
			t.Fatalf("fetch %d: Reused = %v", i, tr.Reused)
		}
		order := []time.Time{tr.Start, tr.Exchange, tr.WroteRequest, tr.FirstByte, tr.HeadDone, tr.Done}
		if i == 0 {
			order = []time.Time{tr.Start, tr.Exchange, tr.Connected, tr.WroteRequest, tr.FirstByte, tr.HeadDone, tr.Done}
		} else if !tr.Connected.IsZero() {
			t.Fatalf("fetch %d: a reused connection has a connect time", i)
		}
		for j := 1; j < len(order); j++ {
			if order[j].IsZero() || order[j].Before(order[j-1]) {
				t.Fatalf("fetch %d: time %d (%v) is zero or before time %d (%v)", i, j, order[j], j-1, order[j-1])
			}
		}
		if tr.FirstByte.Sub(tr.WroteRequest) < 5*time.Millisecond {
			t.Fatalf("fetch %d: first byte %v after the request; the server waited 5 ms", i, tr.FirstByte.Sub(tr.WroteRequest))
		}
		if !tr.DNSDone.IsZero() || tr.TLS != nil || tr.Addr != "127.0.0.1:"+strconv.Itoa(s.Port()) {
			t.Fatalf("fetch %d: DNSDone %v, TLS %v, Addr %q", i, tr.DNSDone, tr.TLS, tr.Addr)
		}
	}
}

func TestTraceTLSAndRedirect(t *testing.T) {
	pki := testpeer.NewPKI(t)
	srv := testpeer.TLSServer(t, pki, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/from" {
			w.Header().Set("Connection", "close")
			http.Redirect(w, r, "/to", http.StatusFound)
			return
		}
		io.WriteString(w, "here")
	}))
	tr := &h1.Trace{}
	r := Request{Trace: tr, TLS: tlsx.Client(pki.Roots, ""), MaxRedirects: 1}
	url := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	resp := do(t, &r, h1.MethodGet, url+"/from", nil, nil)
	if resp.Err != nil || string(resp.Body) != "here" || resp.Redirects != 1 {
		t.Fatalf("fetch: %v, %q, %d redirects", resp.Err, resp.Body, resp.Redirects)
	}
	if tr.Reused || tr.TLS == nil || !tr.TLS.DidResume || tr.TLS.Version != 0x0303 {
		t.Fatalf("Reused %v, TLS %+v; want the new connection's resumed TLS 1.2 session", tr.Reused, tr.TLS)
	}
	if tr.DNSDone.IsZero() || tr.TLSDone.Before(tr.Connected) || !tr.Exchange.After(tr.Start) || tr.DNSDone.Before(tr.Exchange) {
		t.Fatalf("times out of order: %+v", tr)
	}
}
