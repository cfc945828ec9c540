package load

import (
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// The latency histogram's range and precision: microseconds from 1 µs to
// one hour, three significant digits (a value is off by at most 0.1%).
const (
	histMin     = 1
	histMax     = int64(time.Hour / time.Microsecond)
	histSigFigs = 3
)

// newHistogram returns an empty latency histogram in microseconds.
func newHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(histMin, histMax, histSigFigs)
}

// Errors counts what went wrong during a run, by kind. Connect, Read,
// Write, Timeout and Parse count events, each of which ends a connection
// (and loses the requests it had in flight, see Result.Lost); Status counts
// responses, which are also counted in Result.Requests.
type Errors struct {
	// Connect: a connect was refused, failed or took longer than the
	// timeout.
	Connect int64 `json:"connect"`
	// Read: the connection failed or ended while responses were due.
	Read int64 `json:"read"`
	// Write: sending a request failed.
	Write int64 `json:"write"`
	// Timeout: a request stayed unanswered longer than the timeout.
	Timeout int64 `json:"timeout"`
	// Status: a response had a status code of 400 or more.
	Status int64 `json:"status"`
	// Parse: a response broke HTTP/1.1 (a *parser.ProtocolError), or came
	// without a request.
	Parse int64 `json:"parse"`
	// TLS: an https connection's handshake failed or took longer than
	// the timeout.
	TLS int64 `json:"tls"`
}

// IntervalLength is the length of a run's intervals (Result.Intervals),
// and of the intervals of its histogram log.
const IntervalLength = time.Second

// Total is the sum of every kind.
func (e Errors) Total() int64 {
	return e.Connect + e.Read + e.Write + e.Timeout + e.Status + e.Parse + e.TLS
}

// add adds o's counts to e.
func (e *Errors) add(o Errors) {
	e.Connect += o.Connect
	e.Read += o.Read
	e.Write += o.Write
	e.Timeout += o.Timeout
	e.Status += o.Status
	e.Parse += o.Parse
	e.TLS += o.TLS
}

// sub subtracts o's counts from e.
func (e *Errors) sub(o Errors) {
	e.Connect -= o.Connect
	e.Read -= o.Read
	e.Write -= o.Write
	e.Timeout -= o.Timeout
	e.Status -= o.Status
	e.Parse -= o.Parse
	e.TLS -= o.TLS
}

// Result is what a run measured.
//
// The counts add up: Sent = Requests + Lost. Every request written is
// either answered (Requests, whatever the status) or lost with its
// connection (a read, write, parse or timeout error, a connection that
// the server closed with requests still pipelined on it, or a request
// still unanswered when the run gave up waiting at its end).
type Result struct {
	// Requests counts complete responses (1xx interim responses aside).
	Requests int64
	// Sent counts requests handed to the socket, in whole or in part.
	Sent int64
	// Lost counts requests sent that got no response.
	Lost int64
	// Bytes counts the bytes read from the sockets.
	Bytes int64
	// Connects counts connections established.
	Connects int64
	// Duration is the time from the first connect to the last response
	// or the end of the run.
	Duration time.Duration
	// Errors counts failures by kind.
	Errors Errors
	// Latency holds one value per response, in microseconds: from the
	// time the request was written, or in constant-rate mode from the
	// time it was due.
	Latency *hdrhistogram.Histogram
	// Start is the wall-clock time the run started.
	Start time.Time
	// Handshakes describes the TLS handshakes of an https run, which are
	// not part of Latency.
	Handshakes Handshakes
	// Intervals cut the run into IntervalLength slices, from its start:
	// what each second saw. The last one may be shorter.
	Intervals []Interval
}

// Interval is what one interval of a run saw: the responses that ended
// in it and their latencies, the bytes read, handshakes made and errors.
type Interval struct {
	// Start is when it began, from the start of the run; Length is how
	// long it lasted (IntervalLength, but for the last one).
	Start, Length time.Duration
	Requests      int64
	Bytes         int64
	Handshakes    int64
	Errors        Errors
	// Latency and Mean summarise the interval's latencies, in
	// microseconds.
	Latency Percentiles
	Mean    float64
	// Histogram holds them all: HdrHistogram's V2 compressed encoding in
	// base64, as a histogram log line carries it (hdrhistogram.Decode
	// reads it).
	Histogram []byte
}

// RPS returns the interval's responses per second.
func (iv *Interval) RPS() float64 {
	if iv.Length <= 0 {
		return 0
	}
	return float64(iv.Requests) / iv.Length.Seconds()
}

// Handshakes counts the TLS handshakes of a run and how long they took:
// from the TCP connection's establishment to the end of the handshake.
type Handshakes struct {
	// Count counts the handshakes that succeeded.
	Count int64
	// Resumed counts those that resumed an earlier session (an
	// abbreviated handshake, RFC 5077 session tickets), which a
	// connection that reconnects does.
	Resumed int64
	// Latency holds one value per handshake, in microseconds.
	Latency *hdrhistogram.Histogram
}

// RPS returns responses per second.
func (r *Result) RPS() float64 {
	if r.Duration <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Duration.Seconds()
}

// BytesPerSecond returns the bytes read per second.
func (r *Result) BytesPerSecond() float64 {
	if r.Duration <= 0 {
		return 0
	}
	return float64(r.Bytes) / r.Duration.Seconds()
}

// Percentiles are the latencies a report prints, in microseconds.
type Percentiles struct {
	P50  int64 `json:"p50"`
	P90  int64 `json:"p90"`
	P99  int64 `json:"p99"`
	P999 int64 `json:"p999"`
	Max  int64 `json:"max"`
}

// PercentilesOf reads the report's percentiles from a histogram of
// microseconds; all zero for an empty one.
func PercentilesOf(h *hdrhistogram.Histogram) Percentiles {
	if h == nil || h.TotalCount() == 0 {
		return Percentiles{}
	}
	return Percentiles{
		P50:  h.ValueAtQuantile(50),
		P90:  h.ValueAtQuantile(90),
		P99:  h.ValueAtQuantile(99),
		P999: h.ValueAtQuantile(99.9),
		Max:  h.Max(),
	}
}
