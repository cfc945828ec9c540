package h1

import (
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
)

// TestRoundTripAllocs: a whole request/response cycle on a kept-alive
// loopback connection (Request, Poll until the body, the body read into
// the caller's buffer, or handed out as views) allocates nothing once the buffers have grown.
func TestRoundTripAllocs(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.FixedServer(t)
	for _, blocking := range []bool{true, false} {
		var c Client
		c.SetBlockingMode(blocking)
		connect(t, &c, srv.Port())
		buf := make([]byte, 0, 4096)
		cycle := func() {
			if err := c.Request(MethodGet, "/", nil, nil); err != nil {
				t.Fatal(err)
			}
			for c.Status() == StatusRequesting {
				if err := c.Poll(); err != nil {
					t.Fatal(err)
				}
				if !blocking {
					// AllocsPerRun runs on one P: park, so that the
					// scheduler polls the network and the server answers.
					time.Sleep(time.Microsecond)
				}
			}
			out := buf[:0]
			for c.Status() == StatusBody {
				var err error
				if out, err = c.ReadResponseBodyChunkInto(out); err != nil {
					t.Fatal(err)
				}
			}
			if string(out) != "Hello, World!" {
				t.Fatalf("body = %q", out)
			}
		}
		viewCycle := func() {
			if err := c.Request(MethodGet, "/", nil, nil); err != nil {
				t.Fatal(err)
			}
			for c.Status() == StatusRequesting {
				if err := c.Poll(); err != nil {
					t.Fatal(err)
				}
				if !blocking {
					time.Sleep(time.Microsecond)
				}
			}
			n := 0
			for c.Status() == StatusBody {
				v, err := c.ReadResponseBodyView()
				if err != nil {
					t.Fatal(err)
				}
				n += len(v)
			}
			if n != len("Hello, World!") {
				t.Fatalf("body of %d bytes", n)
			}
		}
		viewCycle()
		if n := testing.AllocsPerRun(200, viewCycle); n != 0 {
			t.Errorf("blocking=%v: AllocsPerRun(request cycle with views) = %v; want 0", blocking, n)
		}
		cycle()
		if n := testing.AllocsPerRun(200, cycle); n != 0 {
			t.Errorf("blocking=%v: AllocsPerRun(request cycle) = %v; want 0", blocking, n)
		}
		c.Close()
	}
}
