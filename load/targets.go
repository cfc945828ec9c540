package load

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// ErrTargets is what a *TargetsError wraps: a targets file that cannot be
// read or that breaks the format.
var ErrTargets = errors.New("h1: bad targets file")

// TargetsError is a targets file that could not be used: File names it,
// Line is the 1-based line at fault (0 when the file could not be read at
// all), and Err says what is wrong.
type TargetsError struct {
	File string
	Line int
	Err  error
}

// Error returns "h1: targets file NAME line N: reason".
func (e *TargetsError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("h1: targets file %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("h1: targets file %s line %d: %v", e.File, e.Line, e.Err)
}

// Unwrap returns ErrTargets and the cause.
func (e *TargetsError) Unwrap() []error { return []error{ErrTargets, e.Err} }

// ReadTargetsFile reads a targets file with ReadTargets; name is also the
// name its errors give.
func ReadTargetsFile(name string) ([]Target, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, &TargetsError{File: name, Err: unwrapPath(err)}
	}
	defer f.Close()
	return ReadTargets(f, name)
}

// unwrapPath drops the *os.PathError around err: the file is named already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadTargets reads targets in vegeta's plain format: each target is a
// "METHOD URL" line, then optional "Name: value" header lines, then an
// optional "@FILE" line whose file's content is the body; a blank line
// ends the target. Lines starting with '#' are comments. Relative body
// file names are taken from the working directory, as vegeta does.
// Every URL must be on the same scheme, host and port as the first (see
// Config.Targets). name is what the errors call the input, which is a
// *TargetsError naming the line at fault. The returned targets, their
// headers and bodies are new and belong to the caller.
func ReadTargets(r io.Reader, name string) ([]Target, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var (
		out     []Target
		cur     *Target
		hasBody bool
		line    int
	)
	fail := func(format string, a ...any) error {
		return &TargetsError{File: name, Line: line, Err: fmt.Errorf(format, a...)}
	}
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		switch {
		case s == "":
			cur = nil
			continue
		case s[0] == '#':
			continue
		}
		if cur == nil {
			method, raw, ok := strings.Cut(s, " ")
			raw = strings.TrimSpace(raw)
			if !ok || method == "" || raw == "" || strings.ContainsAny(raw, " \t") {
				return nil, fail("want \"METHOD URL\", not %q", s)
			}
			if method != strings.ToUpper(method) {
				return nil, fail("method %q is not upper case", method)
			}
			t, err := ParseURL(raw)
			if err != nil {
				return nil, fail("%v", stripConfig(err))
			}
			if len(out) > 0 {
				if f := out[0]; t.Host != f.Host || t.Port != f.Port || t.TLS != f.TLS {
					return nil, fail("%s is not on the first target's origin (%s port %d): one run talks to one host and port", raw, f.Host, f.Port)
				}
			}
			t.Method = method
			if _, err := t.encode(); err != nil {
				return nil, fail("%v", stripConfig(err))
			}
			out = append(out, t)
			cur, hasBody = &out[len(out)-1], false
			continue
		}
		if hasBody {
			return nil, fail("nothing may follow the body line; a blank line ends the target")
		}
		if file, ok := strings.CutPrefix(s, "@"); ok {
			b, err := os.ReadFile(file)
			if err != nil {
				return nil, fail("body file: %v", err)
			}
			cur.Body, hasBody = b, true
			continue
		}
		h, err := ParseHeader(s)
		if err != nil {
			return nil, fail("%v", stripConfig(err))
		}
		cur.Headers = append(cur.Headers, h)
		if _, err := cur.encode(); err != nil {
			return nil, fail("%v", stripConfig(err))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &TargetsError{File: name, Line: line + 1, Err: err}
	}
	if len(out) == 0 {
		return nil, &TargetsError{File: name, Err: errors.New("no target in it")}
	}
	return out, nil
}

// stripConfig returns the reason in an ErrConfig error, without the
// sentinel's words, which a TargetsError has its own of.
func stripConfig(err error) string {
	return strings.TrimPrefix(err.Error(), ErrConfig.Error()+": ")
}
