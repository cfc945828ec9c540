package tlsx

import (
	"errors"
	"strings"
	"testing"
	"time"

	utls "github.com/refraction-networking/utls"
)

// idle is a base peer that never has a byte and takes everything.
type idle struct{}

func (idle) PutData([]byte) error                 { return nil }
func (idle) PutPartialData(p []byte) (int, error) { return len(p), nil }
func (idle) GetData([]byte) error                 { return errors.New("idle") }
func (idle) GetPartialData([]byte) (int, error)   { return 0, nil }
func (idle) AvailableBytes() int                  { return 0 }

// panicCache panics when uTLS looks a session up, as uTLS itself does on
// some inputs (an assertion on a custom hello, for one).
type panicCache struct{}

func (panicCache) Get(string) (*utls.ClientSessionState, bool) { panic("boom") }
func (panicCache) Put(string, *utls.ClientSessionState)        {}

// A panic inside uTLS ends the handshake with an error, whether it runs on
// the caller's goroutine or in the coroutine.
func TestHandshakeRecoversPanic(t *testing.T) {
	for _, polled := range []bool{false, true} {
		for _, hello := range []Hello{HelloGo, HelloChrome} {
			var p Peer
			if err := p.Connect(idle{}, "localhost", &Options{Hello: hello}); err != nil {
				t.Fatal(err)
			}
			cfg := &utls.Config{ServerName: "localhost", ClientSessionCache: panicCache{}}
			id := utls.HelloGolang
			if hello == HelloChrome {
				id = utls.HelloChrome_Auto
			}
			p.uc = utls.UClient(&p.w, cfg, id)
			var err error
			if polled {
				err = p.Poll()
			} else {
				err = p.Handshake(time.Second)
			}
			if !errors.Is(err, ErrHandshake) || !strings.Contains(err.Error(), "panic") {
				t.Errorf("polled=%v hello=%v: %v; want a recovered panic", polled, hello, err)
			}
			if p.Status() != StatusError {
				t.Errorf("Status = %v; want error", p.Status())
			}
			p.Close()
		}
	}
}
