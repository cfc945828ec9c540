// Package load is the engine of `h1 load`, a wrk-like HTTP/1.1 load
// generator built on the conn package's epoll Loop and the parser.
//
// # A run
//
// Fill a Config and call Run (or Start, then Progress while it goes, and
// Wait):
//
//	t, _ := load.ParseURL("http://127.0.0.1:8080/index.html")
//	res, err := load.Run(load.Config{Target: t, Connections: 32, Duration: 10 * time.Second})
//	if err != nil {
//		// ErrConfig: a bad setting; ErrNoConnection: nothing listens there
//	}
//	p := load.PercentilesOf(res.Latency)
//	fmt.Println(res.RPS(), p.P50, p.P99, res.Errors.Total())
//
// Start first connects once, to check that the target listens and to
// resolve its name a single time (for https it also makes one TLS
// handshake, so that a refused certificate is an error wrapping ErrTLS
// before anything runs). Then Connections kept-alive connections send the
// request, encoded once by parser.AppendRequestHead, until Duration has
// passed or Requests have been sent. At the end no request is sent any
// more and the run waits, at most Timeout, for the responses still due.
//
// # Requests
//
// Target is one request: method, path, headers and body. Config.Targets,
// when set, is a list of them, all on one origin (scheme, host and port),
// sent in turn or at random from Config.Seed (Config.Order); each is
// encoded once and copied into its connection's write buffer when it is
// queued. ReadTargets and ReadTargetsFile read vegeta's plain targets
// format; their errors are *TargetsError values naming the file and line.
//
// # HTTPS
//
// A Target with TLS set (an https:// URL) runs each connection through a
// tlsx.Peer over the conn.TCP that the loop watches: when the TCP connect
// completes the peer's non-blocking handshake is driven by Poll from the
// loop's events, and once it is done requests and responses go through
// the peer's partial verbs. Config.TLS holds the trust settings
// (tlsx.Client(nil, "") when nil); its session cache lets a connection
// that reconnects resume its session. Handshakes are not requests: their
// count, resumptions and times are in Result.Handshakes, and a failed one
// is an Errors.TLS.
//
// # How the work is laid out
//
// Each of Config.Loops loops is one conn.Loop, so one goroutine, that owns
// its share of the connections: it connects them, writes their requests,
// reads and parses their responses, and records latencies in its own
// HdrHistogram. Nothing is shared between loops while the run goes; Wait
// adds their counts and merges their histograms. A ticker goroutine per
// loop wakes it (through a socket pair registered with the loop) for the
// timed work: timeouts, connects to retry, the end of the run and, at a
// constant rate, the requests that have come due. One loop is the default:
// on a machine that also runs the server, a second loop costs more in
// contention than it gains.
//
// The sockets are registered edge-triggered for both directions, once per
// connection, so a request costs two system calls (a write and a read),
// plus a share of one epoll_wait. A connection reads its responses with
// parser.ResponseReader (the reader of h1.Client and h1 parse) in its own
// read buffer: the head's fields are views into it, and body bytes, of a
// length or chunked, are views it skips over. Once the buffers have their size a
// plain HTTP request allocates nothing (see TestConsumeAllocatesNothing
// and BenchmarkLoopback); over TLS the records are sealed and opened by
// uTLS, which allocates on its own account.
//
// # Pipelining
//
// With Pipeline P above 1, a connection keeps up to P requests in flight
// (RFC 9112 §9.3.2): at the start it writes P requests in one write, and
// each response frees a slot for the next. The server answers in order, so
// the n-th response on a connection belongs to its n-th request: a ring of
// P send times matches them. A response with Connection: close ends the
// connection; the requests pipelined behind it are lost (Result.Lost) and
// a new connection takes over.
//
// # Closed loop and constant rate
//
// Without a Rate the run is closed-loop, as wrk: a connection sends as soon
// as a slot is free, and latency counts from the write. With RateEnd and
// Ramp the rate goes linearly from Rate to RateEnd over Ramp: each
// connection's next request is due Connections/rate(t) after its last,
// where t is the last one's due time. A closed loop slows
// down with the server and so under-reports the waits a stalled server
// causes (coordinated omission). With a Rate, as in wrk2, each connection
// sends every Connections/Rate seconds on a fixed schedule: request k of
// connection i is due at i/Rate + k·Connections/Rate seconds into the run,
// whether or not the connection is free then, and its latency counts from
// when it was due. A request that waits for a busy connection, or for a
// reconnect, carries that wait in its latency. Due requests leave at the
// loop's 1 ms tick or when a response frees a slot.
//
// # Counting
//
// Result.Requests counts complete responses, whatever their status (a
// status of 400 or more is also an Errors.Status). Every request sent is
// answered or lost: Sent = Requests + Lost. The other kinds of Errors count
// events that end a connection: a failed connect, a read or write error, a
// response that breaks HTTP/1.1 (Parse), a request unanswered after the
// timeout. Latencies are in microseconds in an HdrHistogram with three
// significant digits.
//
// # Intervals, logs and reports
//
// Each loop records latencies in a histogram of the current second and
// folds it into the run's at every IntervalLength boundary, keeping its
// compressed encoding and the counts of the second; Wait adds the loops'
// seconds up into Result.Intervals. WriteLog writes them as HdrHistogram's
// interval log (one line per second), and ReadLogs merges the logs of
// several runs, from several machines. WriteHTMLReport writes a
// self-contained page whose inline script draws the percentile spectrum,
// latency and throughput per second and errors by kind; WriteSVGReport
// draws the same charts in one SVG.
package load
