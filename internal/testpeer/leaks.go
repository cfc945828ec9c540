package testpeer

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// CheckLeaks fails the test if goroutines or descriptors (sockets,
// eventfds) are left when it ends, after a grace time for those on their
// way out.
func CheckLeaks(t *testing.T) {
	t.Helper()
	g0, f0 := runtime.NumGoroutine(), countFDs(t)
	t.Cleanup(func() {
		var g, f int
		for i := 0; i < 300; i++ {
			g, f = runtime.NumGoroutine(), countFDs(t)
			if g <= g0 && f <= f0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		buf := make([]byte, 1<<16)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("left behind: goroutines %d, want <= %d; descriptors %d, want <= %d\n%s", g, g0, f, f0, buf)
	})
}

// countFDs counts the process's sockets and anonymous inodes (eventfds).
func countFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("ReadDir(/proc/self/fd) = %v", err)
	}
	n := 0
	for _, e := range ents {
		l, err := os.Readlink("/proc/self/fd/" + e.Name())
		if err == nil && (strings.HasPrefix(l, "socket:") || strings.HasPrefix(l, "anon_inode:")) {
			n++
		}
	}
	return n
}
