package h1

import (
	"sync"
	"time"

	"github.com/h1dev/h1/streampeer"
)

// watchdog enforces the time limit of the client's waits on its own TCP
// peer without arming a timer per wait: the waits themselves have no
// limit, and one lazily re-armed timer interrupts the wait in progress
// once its deadline has passed. In a busy loop of requests, each with its
// own deadline some seconds ahead, the timer fires about once per limit
// instead of being set for every response.
//
// The timer's function runs on the runtime's timer goroutine, which is
// why the fields are guarded by mu. Nothing else leaves the client's
// goroutine.
type watchdog struct {
	mu       sync.Mutex
	t        *time.Timer
	fireAt   time.Time // when t fires; zero: it does not
	deadline time.Time // the limit of the wait in progress; zero: none
	intr     streampeer.Interrupter
}

// arm notes a wait with limit d on intr, which is about to start, and
// makes sure the timer fires no later than d.
func (w *watchdog) arm(d time.Time, intr streampeer.Interrupter) {
	w.mu.Lock()
	w.deadline, w.intr = d, intr
	if w.fireAt.IsZero() || d.Before(w.fireAt) {
		if w.t == nil {
			w.t = time.AfterFunc(time.Until(d), w.fire)
		} else {
			w.t.Reset(time.Until(d))
		}
		w.fireAt = d
	}
	w.mu.Unlock()
}

// disarm notes that the wait ended. The timer stays set: the next wait
// most likely has a later limit and needs no new timer.
func (w *watchdog) disarm() {
	w.mu.Lock()
	w.deadline = time.Time{}
	w.mu.Unlock()
}

// fire interrupts the wait in progress when its limit has passed, and
// otherwise sets the timer for that limit.
func (w *watchdog) fire() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fireAt = time.Time{}
	switch {
	case w.deadline.IsZero():
		// No wait in progress: the next one sets the timer again.
	case !time.Now().Before(w.deadline):
		w.intr.Interrupt()
	default:
		w.t.Reset(time.Until(w.deadline))
		w.fireAt = w.deadline
	}
}

// stop stops the timer.
func (w *watchdog) stop() {
	w.mu.Lock()
	if w.t != nil {
		w.t.Stop()
	}
	w.fireAt, w.deadline, w.intr = time.Time{}, time.Time{}, nil
	w.mu.Unlock()
}
