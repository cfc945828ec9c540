// Package streampeer holds the byte-stream abstraction of the engine,
// after Godot's StreamPeer, and what goes with it:
//
//   - StreamPeer, the interface with Godot's verbs in Go form: the partial
//     verbs (GetPartialData, PutPartialData) never wait and move what they
//     can, possibly nothing; the whole verbs (GetData, PutData) move all of
//     p, waiting as needed. The end of a stream is io.EOF, after the last
//     byte. Poller, Waiter and Interrupter are the optional abilities of
//     peers that connect, wait without spinning and can be woken.
//   - Buffer, an in-memory peer (Godot's StreamPeerBuffer), for tests and
//     for building messages.
//   - Codec, typed puts and gets byte-compatible with Godot's StreamPeer:
//     integers of 8 to 64 bits, half, float and double, and strings with
//     a u32 length prefix, little endian unless BigEndian is set.
//   - NewReader, NewWriter and NewConn, so that the rest of Go (io.Copy,
//     bufio, crypto/tls, net/http) can use any peer. NewConn keeps
//     deadlines through the peer's Waiter, without goroutines or timers.
//
// The package does no I/O itself; socket peers live in package conn.
//
// Buffers passed to the verbs belong to the caller: no verb keeps one after
// it returns. Buffer.Data is valid until the next call that writes to or
// resizes the Buffer; copy to retain.
package streampeer
