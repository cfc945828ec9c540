package parser

import "errors"

// Event is what ResponseReader.Next found in its input.
type Event uint8

// The events of ResponseReader, in the order a response yields them:
// any number of EventInterim, one EventHead, any number of EventData,
// then EventTrailers (a chunked body with trailer fields) and EventEnd.
const (
	// EventNeedMore: the input ends before the next event. Present the
	// unconsumed bytes again with more after them (or call EOF when the
	// peer has closed).
	EventNeedMore Event = iota
	// EventInterim: a 1xx head other than 101 (RFC 9110 §15.2) is in
	// Head. The final head follows.
	EventInterim
	// EventHead: the final head is in Head: status, fields, framing.
	EventHead
	// EventData: body bytes, returned by Data.
	EventData
	// EventTrailers: the trailer fields of a chunked body are in
	// Trailers.
	EventTrailers
	// EventEnd: the response is complete. Bytes after it belong to the
	// next response (or, after a 101 or a CONNECT tunnel, to the other
	// protocol: see Tunnel).
	EventEnd
	eventCount
)

var eventNames = [eventCount]string{"need-more", "interim", "head", "data", "trailers", "end"}

// String returns the event's name.
func (e Event) String() string {
	if e < eventCount {
		return eventNames[e]
	}
	return "event(?)"
}

// ErrReaderState is returned when ResponseReader is called in a state
// where that call has no meaning: Next before Start or after EventEnd,
// EOF before Start. It is the caller's mistake, never the peer's.
var ErrReaderState = errors.New("h1: response reader called out of order")

// ErrTruncated is returned by ResponseReader.EOF when the peer closed
// inside a response: in its head, or before the end of a body framed by
// Content-Length or the chunked coding.
var ErrTruncated = errors.New("h1: connection closed inside a response")

// readerState is where ResponseReader stands in a response.
type readerState uint8

const (
	rsIdle    readerState = iota // before Start, or after EventEnd
	rsHead                       // reading a head (interim or final)
	rsLength                     // body with Content-Length
	rsChunked                    // chunked body
	rsClose                      // body that runs until the peer closes
	rsEnd                        // body over: EventEnd next
	rsFailed                     // a protocol error: nothing more
	stateCount
)

// step is what happened in one state: the input the transition table is
// keyed by.
type step uint8

const (
	stNeedMore    step = iota // the input ran out
	stInterim                 // an interim head
	stHeadNone                // final head, no body
	stHeadLength              // final head, Content-Length body
	stHeadChunked             // final head, chunked body
	stHeadClose               // final head, body until close
	stData                    // body bytes, more to come
	stLast                    // the last body bytes (or an empty end)
	stTrailers                // chunked body over, with trailer fields
	stEOF                     // the peer closed
	stBad                     // a protocol error
	stepCount
)

// transition is one row of the table: the state after a step and the
// event reported.
type transition struct {
	to readerState
	ev Event
}

// table holds every legal move of ResponseReader; a zero entry (to
// rsIdle, EventNeedMore) where a step cannot happen in a state is never
// used. This table is the whole state machine: Next and EOF find the step,
// then look up where it leads.
var table = [stateCount][stepCount]transition{
	rsHead: {
		stNeedMore:    {rsHead, EventNeedMore},
		stInterim:     {rsHead, EventInterim},
		stHeadNone:    {rsEnd, EventHead},
		stHeadLength:  {rsLength, EventHead},
		stHeadChunked: {rsChunked, EventHead},
		stHeadClose:   {rsClose, EventHead},
		stBad:         {rsFailed, EventNeedMore},
	},
	rsLength: {
		stNeedMore: {rsLength, EventNeedMore},
		stData:     {rsLength, EventData},
		stLast:     {rsEnd, EventData},
	},
	rsChunked: {
		stNeedMore: {rsChunked, EventNeedMore},
		stData:     {rsChunked, EventData},
		stLast:     {rsIdle, EventEnd},
		stTrailers: {rsEnd, EventTrailers},
		stBad:      {rsFailed, EventNeedMore},
	},
	rsClose: {
		stNeedMore: {rsClose, EventNeedMore},
		stData:     {rsClose, EventData},
		stEOF:      {rsIdle, EventEnd},
	},
	rsEnd: {
		stLast: {rsIdle, EventEnd},
	},
}

// ResponseReader reads the responses of one connection as a sans-I/O
// state machine (the h11 design): the caller reads bytes from wherever it
// likes, presents them to Next, and gets back an event and how many
// bytes of them it consumed. It holds no buffer and does no I/O; it
// keeps the little it must know across calls (the state, the bytes left
// in the body, the chunked decoder's state), so the caller may cut the
// input anywhere and gets the same events.
//
// Start begins the response to a request (its method decides whether a
// body follows; an Upgrade field in it allows a 101). Then Next yields:
// EventInterim for each 1xx but 101, EventHead for the final head,
// EventData for each run of body bytes, EventTrailers, and EventEnd; a
// body that runs until close ends when the caller calls EOF. After
// EventEnd, Start begins the next response on the same connection.
//
// A byte that breaks a rule of RFC 9112 is a *ProtocolError (offsets
// count from the start of the head, or of the body for its framing), and
// the reader stays failed until Start. A call out of order is
// ErrReaderState. It allocates nothing.
//
// Set Head.Headers (its capacity is the most fields accepted) and
// Head.Options once; Trailers likewise receives a chunked body's trailer
// fields (nil refuses any).
type ResponseReader struct {
	// Head is the head of the last EventInterim or EventHead. Its Reason
	// and fields are views into the input of that call: valid until the
	// caller changes those bytes; copy to retain.
	Head ResponseHead
	// Trailers receives the trailer fields of a chunked body, views into
	// the input of the call that returned EventTrailers.
	Trailers []Header
	// Chunked limits the chunked framing (its MaxLineSize, MaxOverhead);
	// its state is the reader's.
	Chunked ChunkedDecoder

	state readerState
	again bool   // an interim head was reported: the next head starts afresh
	left  int64  // data bytes left of a Content-Length body
	data  []byte // the view of the last EventData
	body  int64  // body bytes reported so far
}

// Start begins reading the response to a request with this method; an
// upgrade request (one with an Upgrade field) may be answered with 101.
// It may be called at any time: what was being read is dropped.
func (r *ResponseReader) Start(method string, upgrade bool) {
	r.Head.Reset()
	r.Head.Method, r.Head.Upgrade = method, upgrade
	r.state, r.again, r.left, r.data, r.body = rsHead, false, 0, nil, 0
}

// Data returns the body bytes of the last EventData: a view into the
// input of that call (the last bytes it consumed), valid until the caller
// changes those bytes; copy to retain.
func (r *ResponseReader) Data() []byte { return r.data }

// BodyRead returns how many body bytes the reader has reported.
func (r *ResponseReader) BodyRead() int64 { return r.body }

// Remaining returns the data bytes left of a Content-Length body, or of
// the current chunk of a chunked one: a caller that reads the socket
// itself may ask for no more than this, so that nothing of the next
// response lands in its buffer. It returns -1 for a body that runs until
// close and 0 elsewhere.
func (r *ResponseReader) Remaining() int64 {
	switch r.state {
	case rsLength:
		return r.left
	case rsChunked:
		return r.Chunked.Remaining()
	case rsClose:
		return -1
	}
	return 0
}

// Tunnel reports a final head after which the connection carries
// another protocol: 101 Switching Protocols, or a 2xx answer to CONNECT.
// The response ends with its head; the bytes after it are not HTTP.
func (r *ResponseReader) Tunnel() bool {
	return r.Head.Framing == FramingTunnel && r.Head.Status != 0
}

// Next reads the next event from in and returns it with the number of
// bytes of in it consumed. Bytes not consumed must be presented again,
// with more after them when the event is EventNeedMore.
func (r *ResponseReader) Next(in []byte) (ev Event, n int, err error) {
	r.data = nil
	var s step
	switch r.state {
	case rsHead:
		s, n, err = r.head(in)
	case rsLength:
		s, n = r.length(in)
	case rsChunked:
		s, n, err = r.chunked(in)
	case rsClose:
		s, n = stNeedMore, len(in)
		if n > 0 {
			s, r.data = stData, in
			r.body += int64(n)
		}
	case rsEnd:
		s = stLast
	default:
		return EventNeedMore, 0, ErrReaderState
	}
	t := table[r.state][s]
	r.state = t.to
	if err != nil {
		return EventNeedMore, n, err
	}
	return t.ev, n, nil
}

// EOF tells the reader that the peer closed the connection. It returns
// EventEnd when that ends the response (a body that runs until close),
// and ErrTruncated when the response was cut short. Between
// responses (after EventEnd) a close is not an error: EventNeedMore.
func (r *ResponseReader) EOF() (Event, error) {
	switch r.state {
	case rsClose:
		t := table[r.state][stEOF]
		r.state = t.to
		return t.ev, nil
	case rsIdle:
		return EventNeedMore, nil
	case rsFailed:
		return EventNeedMore, ErrReaderState
	}
	r.state = rsFailed
	return EventNeedMore, ErrTruncated
}

// head parses a head and classifies it.
func (r *ResponseReader) head(in []byte) (step, int, error) {
	if r.again {
		r.Head.Reset()
		r.again = false
	}
	n, err := ParseResponseHead(in, &r.Head)
	if err == ErrNeedMore {
		return stNeedMore, 0, nil
	}
	if err != nil {
		return stBad, 0, err
	}
	if r.Head.Interim() {
		r.again = true
		return stInterim, n, nil
	}
	switch r.Head.Framing {
	case FramingLength:
		if r.Head.ContentLength == 0 {
			return stHeadNone, n, nil
		}
		r.left = r.Head.ContentLength
		return stHeadLength, n, nil
	case FramingChunked:
		r.Chunked.Reset()
		r.Chunked.AllowObsFold = r.Head.Options.AllowObsFold
		r.Chunked.Trailers = r.Trailers[:0]
		return stHeadChunked, n, nil
	case FramingClose:
		return stHeadClose, n, nil
	}
	return stHeadNone, n, nil // no body, or a tunnel
}

// length takes the bytes of a Content-Length body.
func (r *ResponseReader) length(in []byte) (step, int) {
	n := len(in)
	if int64(n) > r.left {
		n = int(r.left)
	}
	if n == 0 {
		return stNeedMore, 0
	}
	r.data = in[:n:n]
	r.left -= int64(n)
	r.body += int64(n)
	if r.left == 0 {
		return stLast, n
	}
	return stData, n
}

// chunked takes the next piece of a chunked body.
func (r *ResponseReader) chunked(in []byte) (step, int, error) {
	data, n, err := r.Chunked.Next(in)
	if err == ErrNeedMore {
		return stNeedMore, n, nil
	}
	if err != nil {
		return stBad, n, err
	}
	if len(data) > 0 {
		r.data = data
		r.body += int64(len(data))
		return stData, n, nil
	}
	if r.Chunked.Done() {
		r.Trailers = r.Chunked.Trailers
		if len(r.Trailers) > 0 {
			return stTrailers, n, nil
		}
		return stLast, n, nil
	}
	return stNeedMore, n, nil
}
