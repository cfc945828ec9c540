package probe

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestDefaultCasesParse(t *testing.T) {
	cs := DefaultCases()
	if len(cs) < 40 {
		t.Fatalf("DefaultCases has %d cases; want at least 40", len(cs))
	}
	cats := map[string]int{}
	for _, c := range cs {
		cats[c.Category]++
		b := c.Bytes("example.com", "/")
		if len(b) == 0 || bytes.Contains(b, []byte("{host}")) {
			t.Errorf("case %s: Bytes = %.40q; want the request with the host", c.ID, b)
		}
		if !strings.HasPrefix(c.RFC, "RFC 911") || !strings.Contains(c.RFC, "§") {
			t.Errorf("case %s: rfc %q; want RFC 9110/9112 §", c.ID, c.RFC)
		}
	}
	for _, cat := range []string{"compliance", "smuggling", "robustness"} {
		if cats[cat] < 5 {
			t.Errorf("category %s has %d cases; want at least 5", cat, cats[cat])
		}
	}
}

func TestCaseBytes(t *testing.T) {
	cs, err := ParseCases([]byte(`case a
category compliance
rfc RFC 9112 §3
level MAY
title t
expect 2xx
send GET {path} HTTP/1.1\r\nHost: {host}\r\n
send X: {repeat 3 ab\x41}\t\0\\\{\}\r\n\r\n
`))
	if err != nil {
		t.Fatal(err)
	}
	got := string(cs[0].Bytes("h:1", "/p"))
	want := "GET /p HTTP/1.1\r\nHost: h:1\r\nX: abAabAabA\t\x00\\{}\r\n\r\n"
	if got != want {
		t.Errorf("Bytes = %q; want %q", got, want)
	}
}

// Each kind of mistake in a case file is a *CaseError with its line.
func TestParseCasesErrors(t *testing.T) {
	const head = "case a\ncategory compliance\nrfc RFC 9112 §3\nlevel MAY\ntitle t\nexpect 2xx\n"
	for _, tc := range []struct {
		name, file string
		line       int
	}{
		{"empty", "", 0},
		{"before case", "level MAY\n", 1},
		{"unknown key", head + "send x\nwhat y\n", 8},
		{"missing send", head, 1},
		{"bad level", "case a\nlevel MUSTNT\n", 2},
		{"bad category", "case a\ncategory other\n", 2},
		{"bad id", "case A B\n", 1},
		{"duplicate id", head + "send x\ncase a\n", 8},
		{"twice", head + "send x\nlevel MAY\n", 8},
		{"bad expect", "case a\nexpect 2xx | \n", 2},
		{"bad condition", "case a\nexpect sometimes\n", 2},
		{"bad escape", head + "send \\q\n", 7},
		{"bad hex", head + "send \\xzz\n", 7},
		{"open brace", head + "send {what}\n", 7},
		{"unclosed repeat", head + "send {repeat 3 ab\n", 7},
		{"stray close", head + "send ab}\n", 7},
		{"bad count", head + "send {repeat x ab}\n", 7},
		{"huge repeat", head + "send {repeat 16777216 ab}\n", 7},
		{"trailing backslash", head + "send ab\\\n", 7},
	} {
		_, err := ParseCases([]byte(tc.file))
		var ce *CaseError
		if !errors.As(err, &ce) || !errors.Is(err, ErrBadCases) || ce.Line != tc.line {
			t.Errorf("%s: ParseCases = %v; want a *CaseError at line %d", tc.name, err, tc.line)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "h1: probe: bad case file") {
			t.Errorf("%s: message %q", tc.name, err)
		}
	}
}

func TestExpectMatch(t *testing.T) {
	o := func(end End, statuses ...int) *Outcome {
		out := &Outcome{End: end, Responses: []Response{{Status: 100, Interim: true}}}
		for _, s := range statuses {
			out.Responses = append(out.Responses, Response{Status: s})
		}
		return out
	}
	for _, tc := range []struct {
		expect string
		out    *Outcome
		want   bool
	}{
		{"400", o(EndClosed, 400), true},
		{"400", o(EndOpen, 404), false},
		{"4xx closed", o(EndReset, 431), true},
		{"4xx closed", o(EndOpen, 400), false},
		{"all=2xx responses=3", o(EndOpen, 200, 204, 200), true},
		{"all=2xx responses=3", o(EndOpen, 200, 400, 200), false},
		{"all=2xx responses=3", o(EndOpen, 200, 200), false},
		{"responses=0 closed", o(EndClosed), true},
		{"responses=0 closed", o(EndTimeout), false},
		{"all=2xx", o(EndOpen), false},
		{"timeout", o(EndTimeout), true},
		{"400 | responses=1 closed", o(EndClosed, 200), true},
		{"2xx", o(EndParseError, 200), false},
		{"400 | malformed", o(EndParseError), true},
		{"malformed", o(EndClosed), false},
	} {
		e, err := ParseExpect(tc.expect)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Match(tc.out); got != tc.want {
			t.Errorf("%q.Match(%s) = %v; want %v", tc.expect, tc.out.Signature(), got, tc.want)
		}
	}
}

func TestParseExpectErrors(t *testing.T) {
	for _, bad := range []string{"", "|", "2xx |", "600", "2x", "all=", "all=9xx", "responses=", "responses=-1", "closed nope"} {
		if _, err := ParseExpect(bad); !errors.Is(err, ErrBadExpect) || !strings.HasPrefix(err.Error(), "h1: probe: bad expectation") {
			t.Errorf("ParseExpect(%q) = %v; want ErrBadExpect", bad, err)
		}
	}
}
