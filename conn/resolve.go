package conn

import (
	"context"
	"net"
	"net/netip"
)

// resolveJob is one name lookup running on its own goroutine. The goroutine
// touches only the job; the peer reads addrs and err after done is closed,
// and stop cancels the lookup and joins the goroutine.
type resolveJob struct {
	cancel context.CancelFunc
	done   chan struct{}
	addrs  []netip.Addr
	err    error
}

func startResolve(r *net.Resolver, host string) *resolveJob {
	if r == nil {
		r = net.DefaultResolver
	}
	ctx, cancel := context.WithCancel(context.Background())
	j := &resolveJob{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(j.done)
		j.addrs, j.err = r.LookupNetIP(ctx, "ip", host)
	}()
	return j
}

// finished reports, without waiting, whether the lookup is over.
func (j *resolveJob) finished() bool {
	select {
	case <-j.done:
		return true
	default:
		return false
	}
}

// stop cancels the lookup and waits for its goroutine to return.
func (j *resolveJob) stop() {
	j.cancel()
	<-j.done
}
