package streampeer

import (
	"errors"
	"time"
)

// StreamPeer is a byte stream with Godot's StreamPeer verbs.
//
// The partial verbs never wait: GetPartialData returns 0, nil when no byte
// is ready and PutPartialData returns 0, nil when the peer cannot take a
// byte now. The whole verbs (GetData, PutData) wait until all of p has moved
// or the stream fails; a peer backed by a socket waits on the socket
// (poll(2)), never in a spin loop.
//
// A clean end of the stream (the remote side closed after sending all of
// its bytes) is reported as io.EOF by the get verbs, once every byte before
// it has been returned. Any other failure is an error that wraps one of the
// package's sentinels or the underlying system error.
//
// No verb keeps p after it returns.
type StreamPeer interface {
	// PutData writes all of p, waiting as long as needed.
	PutData(p []byte) error
	// PutPartialData writes as much of p as the peer accepts now and
	// returns how many bytes that was.
	PutPartialData(p []byte) (n int, err error)
	// GetData fills all of p, waiting as long as needed. A stream that
	// ends before p is full returns io.ErrUnexpectedEOF.
	GetData(p []byte) error
	// GetPartialData copies into p the bytes that are ready now, possibly
	// none, and returns how many it copied.
	GetPartialData(p []byte) (n int, err error)
	// AvailableBytes reports how many bytes GetPartialData could return
	// now without waiting.
	AvailableBytes() int
}

// Poller is implemented by peers whose state advances in steps (connecting,
// handshaking). Poll makes as much progress as possible without waiting.
type Poller interface {
	Poll() error
}

// Waiter is implemented by peers that can wait for readiness without
// spinning. WaitReadable returns when a get verb would make progress (data,
// end of stream or an error is ready) or after timeout (a negative timeout
// waits forever). WaitWritable is its counterpart for the put verbs. Both
// return ErrTimeout when the time ran out.
//
// A wait may also return nil early (for example after Interrupt); callers
// try their verb again and wait again when it made no progress.
type Waiter interface {
	WaitReadable(timeout time.Duration) error
	WaitWritable(timeout time.Duration) error
}

// Interrupter is implemented by Waiters whose waits can be cut short from
// another goroutine. Interrupt makes every wait in progress on the peer
// return nil at once, so that its caller can look at its conditions again
// (a deadline that moved, for example). A wait that starts after Interrupt
// may also return early, once.
type Interrupter interface {
	Interrupt()
}

// ErrTimeout is returned by a wait that ran out of time.
var ErrTimeout = errors.New("h1: stream wait timed out")

// ErrOutOfRange is returned by Buffer.Seek and Buffer.Resize for a
// position or a size outside the buffer.
var ErrOutOfRange = errors.New("h1: position out of range")

// ErrStringTooLong is returned by Codec.GetString and Codec.GetUTF8String
// when a length is above Codec.MaxStringLength.
var ErrStringTooLong = errors.New("h1: string longer than the limit")
