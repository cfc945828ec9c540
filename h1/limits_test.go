package h1

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/streampeer"
)

// headOver sends one response head through a Pipe and returns the
// outcome: the fields the client read, or the error.
func headOver(t *testing.T, limits Limits, head string) (int, error) {
	t.Helper()
	cEnd, sEnd := streampeer.Pipe()
	var c Client
	c.Limits = limits
	c.SetConnection(cEnd)
	if err := c.Request(MethodGet, "/", []string{"Host: limits.test"}, nil); err != nil {
		t.Fatal(err)
	}
	c.Poll()
	sEnd.PutData([]byte(head))
	for i := 0; c.Status() == StatusRequesting && i < 1000; i++ {
		c.Poll()
	}
	if c.Status() == StatusRequesting {
		t.Fatal("the head never completed")
	}
	return len(c.ResponseHeaders()), c.Err()
}

// What real servers send fits the defaults (curl's: 100 KiB of head, no
// count of fields of its own); past a limit, the error names it.
func TestHeadLimits(t *testing.T) {
	var cookies strings.Builder
	for i := range 120 {
		cookies.WriteString("Set-Cookie: c" + strconv.Itoa(i) + "=" + strings.Repeat("v", 40) + "; Path=/; HttpOnly\r\n")
	}
	big := "X-Big: " + strings.Repeat("b", 80<<10) + "\r\n"
	tooBig := "X-Big: " + strings.Repeat("b", 101<<10) + "\r\n"
	var tiny strings.Builder
	for range 5000 {
		tiny.WriteString("a:\r\n") // 5000 fields in 20 KB
	}
	for _, c := range []struct {
		name   string
		limits Limits
		fields string
		want   int    // fields read; -1: an error
		limit  string // the limit the error names
		is     error
	}{
		{"120 set-cookie", Limits{}, cookies.String(), 121, "", nil},
		{"80 KiB field", Limits{}, big, 2, "", nil},
		{"5000 small fields", Limits{}, tiny.String(), 5001, "", nil},
		{"head over 100 KiB", Limits{}, tooBig, -1, "MaxHeadSize", parser.ErrHeadTooLarge},
		{"head over a set size", Limits{MaxHeadSize: 1 << 10}, cookies.String(), -1, "MaxHeadSize", parser.ErrHeadTooLarge},
		{"fields over a set count", Limits{MaxHeaders: 50}, cookies.String(), -1, "MaxHeaders", parser.ErrTooManyHeaders},
		{"fields at a set count", Limits{MaxHeaders: 121}, cookies.String(), 121, "", nil},
		{"raised size", Limits{MaxHeadSize: 200 << 10}, tooBig, 2, "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, err := headOver(t, c.limits, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"+c.fields+"\r\n")
			if c.want >= 0 {
				if err != nil || n != c.want {
					t.Fatalf("%d fields, %v; want %d, nil", n, err, c.want)
				}
				return
			}
			var le *LimitError
			var pe *parser.ProtocolError
			if !errors.As(err, &le) || le.Limit != c.limit || !errors.Is(err, c.is) || !errors.Is(err, ErrBadResponse) || !errors.As(err, &pe) {
				t.Fatalf("err %v; want a *LimitError on %s matching %v and ErrBadResponse", err, c.limit, c.is)
			}
			msg := err.Error()
			if !strings.Contains(msg, "raise Limits."+c.limit) || strings.Count(msg, "h1:") != 1 || !strings.Contains(msg, "at offset ") {
				t.Errorf("message %q: want one prefix, the offset, and how to raise Limits.%s", msg, c.limit)
			}
		})
	}
}

// RFC 9110 §15.2.2: a 101 answers only a request that asked to upgrade.
func TestUnsolicited101(t *testing.T) {
	_, err := headOver(t, Limits{}, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
	var pe *parser.ProtocolError
	if !errors.Is(err, ErrBadResponse) || !errors.As(err, &pe) || pe.Kind != parser.KindUnsolicitedUpgrade || pe.Offset != 9 {
		t.Fatalf("err %v; want ErrBadResponse with unsolicited-101 at offset 9", err)
	}
}
