package conn

import "golang.org/x/sys/unix"

// CloseWrite shuts down the sending half of the connection (shutdown(2)
// with SHUT_WR): the remote side reads the end of the stream after the
// bytes already sent, while this side goes on reading its answer. The put
// verbs fail from then on. A peer without a connection returns
// ErrUnconfigured; a failed shutdown returns an error wrapping
// ErrConnection and the errno.
func (t *TCP) CloseWrite() error {
	t.sock.RLock()
	defer t.sock.RUnlock()
	if !t.live.Load() {
		return ErrUnconfigured
	}
	if err := unix.Shutdown(t.fd, unix.SHUT_WR); err != nil {
		return wrap(ErrConnection, err)
	}
	return nil
}
