package load

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/h1dev/h1/conn"
	"github.com/h1dev/h1/tlsx"
	"golang.org/x/sys/unix"
)

// ErrNoConnection is what Start wraps when the first connection to the
// target fails: the host does not resolve, or nothing accepts on the port.
var ErrNoConnection = errors.New("h1: cannot connect to the load target")

// ErrTLS is what Start wraps, beside the *tlsx.Error, when the first TLS
// handshake with an https target fails: its certificate is refused, or it
// does not speak TLS 1.2.
var ErrTLS = errors.New("h1: tls handshake failed")

const (
	// retryDelay is how long a connection waits after a failed connect
	// before it tries again.
	retryDelay = int64(10 * time.Millisecond)
	// closedLoopTick is how often a loop looks for timeouts, connects to
	// retry and the end of the run in closed-loop mode; rateTick is the
	// same in constant-rate mode, where it also sends the requests that
	// came due, and so bounds how late a request may leave.
	closedLoopTick = 10 * time.Millisecond
	rateTick       = time.Millisecond
)

// Progress is a snapshot of a run in progress, updated by each loop at
// its ticks.
type Progress struct {
	Elapsed  time.Duration
	Requests int64
	Bytes    int64
	Errors   int64
}

// Runner is a run in progress. Start begins one; Progress reads it from
// any goroutine; Stop ends it early; Wait waits for its end and returns
// the result.
//
// A run has one goroutine per loop (Config.Loops) that owns that loop's
// connections, one ticker goroutine per loop that wakes it for timed work
// (timeouts, retries, constant-rate sends), and for a timed run the timer
// that calls Stop. Wait joins them all.
type Runner struct {
	cfg      Config
	base     time.Time
	workers  []*worker
	timer    *time.Timer
	stopOnce sync.Once
	waitOnce sync.Once
	result   *Result
}

// Run performs one run: Start, then Wait.
func Run(cfg Config) (*Result, error) {
	r, err := Start(cfg)
	if err != nil {
		return nil, err
	}
	return r.Wait(), nil
}

// Start checks cfg, encodes the request, makes one connection to the
// target to learn its address (and that it listens), and starts the run.
// A configuration out of range returns an error wrapping ErrConfig; a
// target that cannot be reached, one wrapping ErrNoConnection.
func Start(cfg Config) (*Runner, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	reqs := make([][]byte, len(cfg.Targets))
	methods := make([]string, len(cfg.Targets))
	for i := range cfg.Targets {
		if reqs[i], err = cfg.Targets[i].encode(); err != nil {
			return nil, err
		}
		methods[i] = cfg.Targets[i].Method
		if methods[i] == "" {
			methods[i] = "GET"
		}
	}
	if cfg.Target.TLS && cfg.TLS == nil {
		cfg.TLS = tlsx.Client(nil, "")
	}
	host, err := probe(&cfg)
	if err != nil {
		return nil, err
	}
	r := &Runner{cfg: cfg, base: time.Now()}
	for i := range cfg.Loops {
		w, err := newWorker(r, i, host, reqs, methods)
		if err != nil {
			r.abort()
			return nil, err
		}
		r.workers = append(r.workers, w)
	}
	for _, w := range r.workers {
		if err := w.loop.Start(); err != nil {
			r.abort()
			return nil, err
		}
		w.ticking = true
		go w.ticker()
	}
	if cfg.Duration > 0 {
		r.timer = time.AfterFunc(cfg.Duration, r.Stop)
	}
	return r, nil
}

// probe connects once to the target and returns the address it reached.
// For https it also makes a TLS handshake, with the run's trust settings
// but apart from its session cache, so that the run's first connections
// make full handshakes as a new client would.
func probe(cfg *Config) (string, error) {
	host, port, timeout := cfg.Target.Host, cfg.Target.Port, cfg.Timeout
	p := new(conn.TCP)
	defer p.Close()
	_ = p.SetConnectTimeout(timeout)
	err := p.ConnectToHost(host, port)
	if err == nil {
		err = p.WaitConnected(timeout)
	}
	if err != nil {
		return "", fmt.Errorf("%w %s port %d: %w", ErrNoConnection, host, port, err)
	}
	addr := p.ConnectedHost()
	if cfg.Target.TLS {
		opts := *cfg.TLS
		opts.Sessions = nil
		var t tlsx.Peer
		defer t.Close()
		err := t.Connect(p, host, &opts)
		if err == nil {
			err = t.Handshake(timeout)
		}
		if err != nil {
			return "", fmt.Errorf("%w with %s port %d: %w", ErrTLS, host, port, err)
		}
	}
	return addr, nil
}

// abort releases what a failed Start set up.
func (r *Runner) abort() {
	for _, w := range r.workers {
		w.release()
	}
}

// Stop ends the run: the loops send no more requests and wait, at most
// for the timeout, for the responses still due. It returns at once; Wait
// returns when they are done.
func (r *Runner) Stop() {
	r.stopOnce.Do(func() {
		for _, w := range r.workers {
			w.stop.Store(true)
			w.poke()
		}
	})
}

// Config returns the run's configuration, with the defaults filled in.
func (r *Runner) Config() Config { return r.cfg }

// Progress returns the counts so far, as of the loops' last ticks.
func (r *Runner) Progress() Progress {
	p := Progress{Elapsed: time.Since(r.base)}
	for _, w := range r.workers {
		p.Requests += w.pub.requests.Load()
		p.Bytes += w.pub.bytes.Load()
		p.Errors += w.pub.errors.Load()
	}
	return p
}

// Wait waits for the end of the run, releases its connections and
// goroutines, and returns the result. Later calls return the same result.
func (r *Runner) Wait() *Result {
	r.waitOnce.Do(func() {
		for _, w := range r.workers {
			<-w.done
		}
		if r.timer != nil {
			r.timer.Stop()
		}
		res := &Result{Latency: newHistogram(), Start: r.base, Handshakes: Handshakes{Latency: newHistogram()}}
		var end int64
		for _, w := range r.workers {
			w.release() // joins the loop: its fields are ours from here
			res.Requests += w.requests
			res.Sent += w.sent
			res.Lost += w.lost
			res.Bytes += w.bytes
			res.Connects += w.connects
			res.Errors.add(w.errors)
			res.Latency.Merge(w.hist)
			res.Handshakes.Latency.Merge(w.hsHist)
			res.Handshakes.Resumed += w.resumed
			end = max(end, w.stopAt, w.lastResponse)
		}
		res.Duration = time.Duration(end)
		res.Intervals = mergeIntervals(r.workers)
		res.Handshakes.Count = res.Handshakes.Latency.TotalCount()
		r.result = res
	})
	return r.result
}

// mergeIntervals adds up the loops' intervals, which share their bounds
// (every IntervalLength from the start of the run); the last one ends
// with the last loop.
func mergeIntervals(workers []*worker) []Interval {
	var out []Interval
	h := newHistogram()
	for k := 0; ; k++ {
		var iv Interval
		found := false
		h.Reset()
		for _, w := range workers {
			if k >= len(w.intervals) {
				continue
			}
			wi := &w.intervals[k]
			if !found {
				iv.Start = time.Duration(wi.start)
				found = true
			}
			iv.Length = max(iv.Length, time.Duration(wi.end-wi.start))
			iv.Requests += wi.counts.requests
			iv.Bytes += wi.counts.bytes
			iv.Handshakes += wi.counts.handshakes
			iv.Errors.add(wi.counts.errors)
			if d, err := hdrhistogram.Decode(wi.hist); err == nil {
				h.Merge(d)
			}
		}
		if !found {
			return out
		}
		iv.Latency = PercentilesOf(h)
		iv.Mean = h.Mean()
		iv.Histogram, _ = h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
		out = append(out, iv)
	}
}

// worker is one loop and the connections it drives. Its fields belong to
// the loop goroutine from Start until Wait has closed the loop, except
// stop and pub.
type worker struct {
	cfg      *Config
	host     string
	port     int
	reqs     [][]byte // the targets' requests, each encoded once
	methods  []string // the targets' methods, for the parser
	next     int      // OrderSequential: the next target
	rng      *rand.Rand
	interval int64 // constant-rate mode: ns between a connection's requests
	// A ramp: the rate goes from cfg.Rate to cfg.RateEnd over rampEnd ns,
	// and the interval with it; endInterval is the interval after it.
	rampEnd     int64
	endInterval int64
	timeout     int64
	budget      int64 // requests left to send; negative: no limit
	base        time.Time
	loop        *conn.Loop
	clients     []*client
	hist        *hdrhistogram.Histogram // the run's latencies but the current interval's
	ihist       *hdrhistogram.Histogram // the current interval's latencies
	nextRotate  int64                   // the end of the current interval
	intervals   []workerInterval
	mark        counts                  // the counts at the start of the current interval
	hsHist      *hdrhistogram.Histogram // TLS handshake times, µs
	resumed     int64                   // TLS handshakes that resumed a session
	tlsOpts     *tlsx.Options           // https: the trust settings; nil for http

	requests, sent, lost, bytes, connects int64
	errors                                Errors
	inflight                              int
	lastResponse                          int64
	draining                              bool
	stopAt, drainUntil                    int64
	finished                              bool
	done                                  chan struct{}

	stop atomic.Bool
	pub  struct{ requests, bytes, errors atomic.Int64 }

	// The loop sleeps in epoll_wait; the ticker goroutine wakes it by
	// writing a byte to wakeFD, the other end of a socket pair whose
	// first end, wake, is registered with the loop.
	wake       *conn.TCP
	wakeMu     sync.Mutex // guards wakeFD, which Stop uses from any goroutine
	wakeFD     int
	tick       time.Duration
	scratch    [64]byte
	quit       chan struct{}
	tickerDone chan struct{}
	ticking    bool // the ticker goroutine was started
	released   bool
}

func newWorker(r *Runner, index int, host string, reqs [][]byte, methods []string) (*worker, error) {
	cfg := &r.cfg
	w := &worker{
		cfg:        cfg,
		host:       host,
		port:       cfg.Target.Port,
		reqs:       reqs,
		methods:    methods,
		hsHist:     newHistogram(),
		ihist:      newHistogram(),
		nextRotate: int64(IntervalLength),
		timeout:    int64(cfg.Timeout),
		budget:     -1,
		base:       r.base,
		hist:       newHistogram(),
		done:       make(chan struct{}),
		quit:       make(chan struct{}),
		tickerDone: make(chan struct{}),
		wakeFD:     -1,
		tick:       closedLoopTick,
	}
	if cfg.Target.TLS {
		w.tlsOpts = cfg.TLS
	}
	if cfg.Order == OrderRandom {
		w.rng = rand.New(rand.NewPCG(cfg.Seed, uint64(index)))
	}
	if cfg.Requests > 0 {
		w.budget = cfg.Requests / int64(cfg.Loops)
		if int64(index) < cfg.Requests%int64(cfg.Loops) {
			w.budget++
		}
	}
	if cfg.Rate > 0 {
		w.interval = max(int64(float64(cfg.Connections)*1e9/cfg.Rate), 1)
		w.tick = rateTick
		if cfg.Ramp > 0 {
			w.rampEnd = int64(cfg.Ramp)
			w.endInterval = max(int64(float64(cfg.Connections)*1e9/cfg.RateEnd), 1)
		}
	}
	// Connection g of the run goes to loop g % Loops; in constant-rate
	// mode the first requests of the connections are spread evenly over
	// one interval.
	for g := index; g < cfg.Connections; g += cfg.Loops {
		var first int64
		if cfg.Rate > 0 {
			first = int64(float64(g) * 1e9 / cfg.Rate)
		}
		w.clients = append(w.clients, newClient(w, g, first))
	}
	if w.budget == 0 {
		w.draining = true
	}
	var err error
	if w.loop, err = conn.NewLoop(); err != nil {
		return nil, err
	}
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		w.release()
		return nil, fmt.Errorf("h1: load: socketpair: %w", err)
	}
	w.wakeFD = fds[1]
	if w.wake, err = conn.NewTCPFromFD(fds[0]); err != nil {
		unix.Close(fds[0])
		w.release()
		return nil, err
	}
	if err := w.loop.Add(w.wake, conn.Readable, w.woken); err != nil {
		w.release()
		return nil, err
	}
	return w, nil
}

// gap returns the time from a connection's request due at t to its next
// one: Connections over the rate at t.
func (w *worker) gap(t int64) int64 {
	switch {
	case w.rampEnd == 0:
		return w.interval
	case t >= w.rampEnd:
		return w.endInterval
	}
	cfg := w.cfg
	rate := cfg.Rate + (cfg.RateEnd-cfg.Rate)*float64(t)/float64(w.rampEnd)
	return max(int64(float64(cfg.Connections)*1e9/rate), 1)
}

// pick returns the index of the next request's target.
func (w *worker) pick() int {
	if len(w.reqs) == 1 {
		return 0
	}
	if w.rng != nil {
		return w.rng.IntN(len(w.reqs))
	}
	i := w.next
	if w.next++; w.next == len(w.reqs) {
		w.next = 0
	}
	return i
}

// now is the time since the start of the run, from the monotonic clock.
func (w *worker) now() int64 { return int64(time.Since(w.base)) }

// record adds one latency, in nanoseconds, to the interval's histogram in
// microseconds; now is the time of the response.
func (w *worker) record(now, ns int64) {
	if now >= w.nextRotate {
		w.rotate(now)
	}
	us := min(max(ns/1000, 0), histMax)
	_ = w.ihist.RecordValue(us)
}

// counts are the counters an interval reports the growth of.
type counts struct {
	requests, bytes, handshakes int64
	errors                      Errors
}

// workerInterval is one loop's share of an interval of the run.
type workerInterval struct {
	start, end int64  // ns since the start of the run
	hist       []byte // the latencies: V2 compressed, base64
	counts     counts // what happened in it
}

// rotate closes every interval that ended by now.
func (w *worker) rotate(now int64) {
	for now >= w.nextRotate {
		w.closeInterval(w.nextRotate)
		w.nextRotate += int64(IntervalLength)
	}
}

// closeInterval records the interval that ends at end and starts the
// next.
func (w *worker) closeInterval(end int64) {
	enc, _ := w.ihist.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	w.hist.Merge(w.ihist)
	w.ihist.Reset()
	cur := counts{requests: w.requests, bytes: w.bytes, handshakes: w.hsHist.TotalCount(), errors: w.errors}
	d := counts{requests: cur.requests - w.mark.requests, bytes: cur.bytes - w.mark.bytes, handshakes: cur.handshakes - w.mark.handshakes, errors: cur.errors}
	d.errors.sub(w.mark.errors)
	w.mark = cur
	w.intervals = append(w.intervals, workerInterval{start: w.nextRotate - int64(IntervalLength), end: end, hist: enc, counts: d})
}

// handshake records a TLS handshake that took ns.
func (w *worker) handshake(ns int64, resumed bool) {
	_ = w.hsHist.RecordValue(min(max(ns/1000, 0), histMax))
	if resumed {
		w.resumed++
	}
}

// sending reports whether requests may still be sent.
func (w *worker) sending() bool { return !w.draining }

// drain stops sending and starts waiting, at most for the timeout, for
// the responses due.
func (w *worker) drain(now int64) {
	if !w.draining {
		w.draining = true
		w.stopAt = now
		w.drainUntil = now + w.timeout
	}
}

// finish ends the worker's part of the run: requests still in flight are
// lost, and Wait may go on.
func (w *worker) finish(now int64) {
	if w.finished {
		return
	}
	if w.stopAt == 0 {
		w.stopAt = now
	}
	w.rotate(now)
	if now > w.nextRotate-int64(IntervalLength) {
		w.closeInterval(now)
	}
	w.finished = true
	for _, c := range w.clients {
		c.lose()
	}
	w.publish()
	close(w.done)
}

// publish makes the counts visible to Progress.
func (w *worker) publish() {
	w.pub.requests.Store(w.requests)
	w.pub.bytes.Store(w.bytes)
	w.pub.errors.Store(w.errors.Total())
}

// woken handles the wake socket: it empties it and does the timed work.
func (w *worker) woken(p *conn.TCP, _ conn.Events) {
	for {
		n, err := p.GetPartialData(w.scratch[:])
		if err != nil || n < len(w.scratch) {
			break
		}
	}
	if w.finished {
		return
	}
	now := w.now()
	if now >= w.nextRotate {
		w.rotate(now)
	}
	if w.stop.Load() {
		w.drain(now)
	}
	for _, c := range w.clients {
		c.tick(now)
	}
	if w.draining && (w.inflight == 0 || now >= w.drainUntil) {
		w.finish(now)
	}
	w.publish()
}

// wakeByte is what poke writes.
var wakeByte = [1]byte{1}

// poke wakes the loop. A full socket pair means a wake is pending anyway.
func (w *worker) poke() {
	w.wakeMu.Lock()
	if w.wakeFD >= 0 {
		_, _ = unix.Write(w.wakeFD, wakeByte[:])
	}
	w.wakeMu.Unlock()
}

// ticker wakes the loop at once (to make the first connections) and then
// every tick, until quit is closed.
func (w *worker) ticker() {
	defer close(w.tickerDone)
	t := time.NewTicker(w.tick)
	defer t.Stop()
	w.poke()
	for {
		select {
		case <-t.C:
			w.poke()
		case <-w.quit:
			return
		}
	}
}

// release stops the ticker and the loop, joining their goroutines, and
// closes every socket.
func (w *worker) release() {
	if w.released {
		return
	}
	w.released = true
	close(w.quit)
	if w.ticking {
		<-w.tickerDone
	}
	if w.loop != nil {
		_ = w.loop.Close()
	}
	for _, c := range w.clients {
		if c.tls != nil {
			_ = c.tls.Close() // joins a parked handshake
		}
		c.peer.DisconnectFromHost()
	}
	if w.wake != nil {
		w.wake.Close()
	}
	w.wakeMu.Lock()
	if w.wakeFD >= 0 {
		unix.Close(w.wakeFD)
		w.wakeFD = -1
	}
	w.wakeMu.Unlock()
}
