package h1

import (
	"errors"
	"testing"
	"time"

	"github.com/h1dev/h1/parser"
	"golang.org/x/sys/unix"
)

func cpuTime(t *testing.T) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// run polls c until its status leaves the statuses in while, or the test
// times out.
func run(t testing.TB, c *Client, while ...Status) {
	t.Helper()
	end := time.Now().Add(10 * time.Second)
	for {
		s := c.Status()
		in := false
		for _, w := range while {
			in = in || s == w
		}
		if !in {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("status stuck at %v", s)
		}
		_ = c.Poll()
		if !c.IsBlockingModeEnabled() {
			time.Sleep(100 * time.Microsecond)
		}
	}
}

// connect connects c to 127.0.0.1:port and polls until connected.
func connect(t testing.TB, c *Client, port int) {
	t.Helper()
	if err := c.ConnectToHost("127.0.0.1", port, nil); err != nil {
		t.Fatalf("ConnectToHost = %v", err)
	}
	run(t, c, StatusResolving, StatusConnecting)
	if s := c.Status(); s != StatusConnected {
		t.Fatalf("status = %v (%v); want connected", s, c.Err())
	}
}

// fetch sends a request and reads the whole response body.
func fetch(t testing.TB, c *Client, m Method, url string, headers []string, body []byte) ([]byte, error) {
	t.Helper()
	if err := c.Request(m, url, headers, body); err != nil {
		return nil, err
	}
	run(t, c, StatusRequesting)
	var out []byte
	end := time.Now().Add(20 * time.Second)
	for c.Status() == StatusBody {
		n := len(out)
		var err error
		out, err = c.ReadResponseBodyChunkInto(out)
		if err != nil {
			return out, err
		}
		if time.Now().After(end) {
			t.Fatal("body read stuck")
		}
		if len(out) == n && !c.IsBlockingModeEnabled() {
			time.Sleep(50 * time.Microsecond)
		}
	}
	return out, c.Err()
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func userAgent() string { return parser.DefaultUserAgent }
