package probe

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Expect is a set of acceptable outcomes: alternatives, any of which
// passes. Each alternative is a list of conditions that must all hold.
//
// In a case file an expectation reads like "400 closed | all=2xx
// responses=1", with these conditions:
//
//	400, 4xx      the first final response has this status (x: any digit)
//	all=2xx       there is a final response and every one matches
//	responses=N   exactly N final responses
//	closed        the server closed or reset the connection at the end
//	open          the server kept the connection open after the answers
//	timeout       the server did not finish an answer in time
//	malformed     the strict parser refused the server's bytes (for an
//	              HTTP/0.9 answer, say)
//
// An outcome that ended in a parse error (a malformed response) matches
// only an alternative with malformed.
type Expect struct {
	// Text is the expectation as written.
	Text string
	alts [][]cond
}

// cond is one condition of an alternative.
type cond struct {
	op     byte   // 's' first status, 'a' all statuses, 'n' count, 'e' end
	status string // a pattern such as "4xx"
	n      int
	end    End
}

// ErrBadExpect is wrapped by the errors of ParseExpect.
var ErrBadExpect = errors.New("h1: probe: bad expectation")

// ParseExpect parses an expectation (see Expect). Its errors wrap
// ErrBadExpect.
func ParseExpect(s string) (Expect, error) {
	e := Expect{Text: strings.TrimSpace(s)}
	for _, alt := range strings.Split(s, "|") {
		var cs []cond
		for _, tok := range strings.Fields(alt) {
			c, err := parseCond(tok)
			if err != nil {
				return Expect{}, fmt.Errorf("%w: %q: %w", ErrBadExpect, tok, err)
			}
			cs = append(cs, c)
		}
		if len(cs) == 0 {
			return Expect{}, fmt.Errorf("%w: an empty alternative in %q", ErrBadExpect, s)
		}
		e.alts = append(e.alts, cs)
	}
	return e, nil
}

func parseCond(tok string) (cond, error) {
	switch tok {
	case "closed":
		return cond{op: 'e', end: EndClosed}, nil
	case "open":
		return cond{op: 'e', end: EndOpen}, nil
	case "timeout":
		return cond{op: 'e', end: EndTimeout}, nil
	case "malformed":
		return cond{op: 'e', end: EndParseError}, nil
	}
	if v, ok := strings.CutPrefix(tok, "responses="); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return cond{}, errors.New("responses= needs a count")
		}
		return cond{op: 'n', n: n}, nil
	}
	if v, ok := strings.CutPrefix(tok, "all="); ok {
		if !statusPattern(v) {
			return cond{}, errors.New("all= needs a status such as 200 or 2xx")
		}
		return cond{op: 'a', status: v}, nil
	}
	if statusPattern(tok) {
		return cond{op: 's', status: tok}, nil
	}
	return cond{}, errors.New("unknown condition")
}

// statusPattern reports whether p is three characters, a digit 1–5 then
// digits or x.
func statusPattern(p string) bool {
	if len(p) != 3 || p[0] < '1' || p[0] > '5' {
		return false
	}
	for i := 1; i < 3; i++ {
		if (p[i] < '0' || p[i] > '9') && p[i] != 'x' {
			return false
		}
	}
	return true
}

// statusMatches reports whether status matches the pattern p.
func statusMatches(p string, status int) bool {
	s := strconv.Itoa(status)
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if p[i] != 'x' && p[i] != s[i] {
			return false
		}
	}
	return true
}

// Match reports whether the outcome is one of the acceptable ones.
func (e Expect) Match(o *Outcome) bool {
	fs := o.Finals()
outer:
	for _, alt := range e.alts {
		malformed := false
		for _, c := range alt {
			malformed = malformed || (c.op == 'e' && c.end == EndParseError)
		}
		if o.End == EndParseError && !malformed {
			continue
		}
		for _, c := range alt {
			if !c.holds(o, fs) {
				continue outer
			}
		}
		return true
	}
	return false
}

func (c cond) holds(o *Outcome, fs []Response) bool {
	switch c.op {
	case 's':
		return len(fs) > 0 && statusMatches(c.status, fs[0].Status)
	case 'a':
		for _, r := range fs {
			if !statusMatches(c.status, r.Status) {
				return false
			}
		}
		return len(fs) > 0
	case 'n':
		return len(fs) == c.n
	case 'e':
		if c.end == EndClosed {
			return o.End.Closed()
		}
		return o.End == c.end
	}
	return false
}

// String returns the expectation as written.
func (e Expect) String() string { return e.Text }

// MarshalText returns the expectation as written, for JSON.
func (e Expect) MarshalText() ([]byte, error) { return []byte(e.Text), nil }
