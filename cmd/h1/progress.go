package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// progressDelay is how long a transfer runs before its line appears, and
// progressTick how often the line is drawn again.
const (
	progressDelay = 300 * time.Millisecond
	progressTick  = 100 * time.Millisecond
)

// progress draws one line on a terminal while a transfer runs: the bytes
// so far, with the length, percentage and a bar when the length is known,
// the rate over the last two seconds, and the time left (or spent). A
// goroutine draws it in place with \r every tick, so that a stalled
// transfer shows as one; stop joins it and clears the line. Write clears
// the line before writing, so that other output does not mix with it. The
// methods of a nil *progress do nothing.
type progress struct {
	f          *os.File
	quit, done chan struct{}

	mu         sync.Mutex // guards the fields below, and the terminal's line
	got, total int64
	start      time.Time
	shown      bool
	hist       [20]sample // the bytes at each of the last ticks
	ticks      int
}

type sample struct {
	at  time.Time
	got int64
}

// startProgress starts a progress line on w, or returns nil when w is not
// a terminal: nothing is ever drawn into a file or a pipe.
func startProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if _, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS); err != nil {
		return nil
	}
	p := &progress{f: f, total: -1, start: time.Now(), quit: make(chan struct{}), done: make(chan struct{})}
	go p.run()
	return p
}

func (p *progress) run() {
	defer close(p.done)
	t := time.NewTicker(progressTick)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			return
		case now := <-t.C:
			p.mu.Lock()
			p.hist[p.ticks%len(p.hist)] = sample{now, p.got}
			p.ticks++
			if now.Sub(p.start) >= progressDelay {
				width := 80
				if ws, err := unix.IoctlGetWinsize(int(p.f.Fd()), unix.TIOCGWINSZ); err == nil && ws.Col > 0 {
					width = int(ws.Col)
				}
				// One column short of the width, so that the line never wraps.
				_, _ = io.WriteString(p.f, "\r"+progressLine(p.got, p.total, p.rate(), now.Sub(p.start), width-1)+"\x1b[K")
				p.shown = true
			}
			p.mu.Unlock()
		}
	}
}

// rate returns bytes per second between the oldest and newest samples.
func (p *progress) rate() float64 {
	newest := p.hist[(p.ticks-1)%len(p.hist)]
	oldest := p.hist[0]
	if p.ticks > len(p.hist) {
		oldest = p.hist[p.ticks%len(p.hist)]
	}
	if dt := newest.at.Sub(oldest.at).Seconds(); dt > 0 {
		return float64(newest.got-oldest.got) / dt
	}
	return float64(newest.got) / max(newest.at.Sub(p.start).Seconds(), 1e-3)
}

// update notes the bytes received so far and the length (-1: unknown).
func (p *progress) update(got, total int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.got, p.total = got, total
	p.mu.Unlock()
}

// Write clears the line and writes b; the next tick draws the line again.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	return p.f.Write(b)
}

func (p *progress) clear() {
	if p.shown {
		_, _ = io.WriteString(p.f, "\r\x1b[K")
		p.shown = false
	}
}

// stop ends the drawing and clears the line.
func (p *progress) stop() {
	if p == nil {
		return
	}
	close(p.quit)
	<-p.done
	p.mu.Lock()
	p.clear()
	p.mu.Unlock()
}

// progressLine lays out the line in at most width columns.
func progressLine(got, total int64, rate float64, elapsed time.Duration, width int) string {
	speed := fmt.Sprintf("%12s", size(int64(rate))+"/s") // a steady width keeps the bar still
	if total <= 0 {
		return fit(fmt.Sprintf("%10s  %s  %s", size(got), speed, clock(elapsed.Seconds())), width)
	}
	eta := "ETA --:--"
	if rate > 0 {
		eta = "ETA " + clock(float64(total-got)/rate)
	}
	frac := min(max(float64(got)/float64(total), 0), 1)
	left := fmt.Sprintf("%*s / %s %3d%% ", len(size(total)), size(got), size(total), int(frac*100))
	right := fmt.Sprintf(" %s  %s", speed, eta)
	if n := width - len(left) - len(right) - 2; n >= 8 {
		fill := int(frac * float64(n))
		return left + "[" + strings.Repeat("=", fill) + strings.Repeat(" ", n-fill) + "]" + right
	}
	return fit(left+right[1:], width)
}

// fit cuts s to width, at the last field boundary (two spaces) when
// there is one.
func fit(s string, width int) string {
	if len(s) <= width {
		return s
	}
	s = s[:max(width, 0)]
	if i := strings.LastIndex(s, "  "); i > 0 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ")
}

// size writes n bytes in binary units.
func size(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v, units := float64(n)/1024, "KMGTPE"
	for i := 0; ; i++ {
		if v < 1024 || i == len(units)-1 {
			return fmt.Sprintf("%.1f %ciB", v, units[i])
		}
		v /= 1024
	}
}

// clock writes seconds as m:ss, or h:mm:ss from an hour on.
func clock(s float64) string {
	t := int64(s + 0.5)
	if t >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", t/3600, t/60%60, t%60)
	}
	return fmt.Sprintf("%d:%02d", t/60, t%60)
}
