package probe

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Levels of a case: how strongly the RFC words the rule (RFC 2119).
const (
	LevelMust   = "MUST"
	LevelShould = "SHOULD"
	LevelMay    = "MAY"
)

// maxRepeat bounds one {repeat N ...} of a case file.
const maxRepeat = 16 << 20

// ErrBadCases reports a case file that does not follow the format; the
// *CaseError that carries it says where.
var ErrBadCases = errors.New("h1: probe: bad case file")

// CaseError is a mistake in a case file.
type CaseError struct {
	// Line is the 1-based line number.
	Line int
	// Msg says what is wrong.
	Msg string
}

// Error returns "h1: probe: bad case file: line N: msg".
func (e *CaseError) Error() string {
	return fmt.Sprintf("%v: line %d: %s", ErrBadCases, e.Line, e.Msg)
}

// Unwrap returns ErrBadCases.
func (e *CaseError) Unwrap() error { return ErrBadCases }

//go:embed cases.txt
var defaultCases []byte

// DefaultCases returns the embedded catalogue (cases.txt): a new slice of
// cases each call.
func DefaultCases() []Case {
	cs, err := ParseCases(defaultCases)
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return cs
}

// Case is one request to send and the answers it may get.
type Case struct {
	// ID names the case, unique in its file.
	ID string `json:"id"`
	// Category is "compliance", "smuggling" or "robustness".
	Category string `json:"category"`
	// RFC is the rule, as "RFC 9112 §6.1".
	RFC string `json:"rfc"`
	// Level is LevelMust, LevelShould or LevelMay.
	Level string `json:"level"`
	// Title says what the case sends, in a few words.
	Title string `json:"title"`
	// Send is the request in the case file's escape syntax.
	Send string `json:"send"`
	// Expect are the acceptable outcomes.
	Expect Expect `json:"expect"`
	// Line is where the case starts in its file.
	Line int `json:"-"`
}

// Bytes returns the request bytes of the case for a server named host (the
// Host field value, for {host}) and the path to ask for ({path}): a new
// slice.
func (c *Case) Bytes(host, path string) []byte {
	b, err := expand(c.Send, host, path)
	if err != nil {
		return nil // ParseCases checked the syntax
	}
	return b
}

// ParseCases reads a case file. The format, line by line:
//
//	# a comment; blank lines are ignored
//	case ID            starts a case
//	category NAME      compliance, smuggling or robustness
//	rfc REF            the rule, e.g. RFC 9112 §6.1
//	level LEVEL        MUST, SHOULD or MAY
//	title TEXT         a few words
//	expect ALT | ALT   the acceptable outcomes (see Expect)
//	send TEXT          request bytes, appended (repeat the line to go on)
//
// In send text, \r \n \t \0 \\ \{ and \xHH are bytes, {host} is the Host
// field value of the target, {path} the path of the URL, and
// {repeat N TEXT} is TEXT (with the same escapes) N times. Every case
// needs each key once, except send, which may appear many times.
// Errors are *CaseError.
func ParseCases(b []byte) ([]Case, error) {
	var (
		cases []Case
		cur   *Case
		seen  = map[string]bool{}
		keys  map[string]bool
	)
	finish := func() error {
		if cur == nil {
			return nil
		}
		for _, k := range []string{"category", "rfc", "level", "title", "expect", "send"} {
			if !keys[k] {
				return &CaseError{cur.Line, fmt.Sprintf("case %s has no %s", cur.ID, k)}
			}
		}
		cases = append(cases, *cur)
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		trimmed := strings.TrimSpace(text)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		key, val, _ := strings.Cut(trimmed, " ")
		if key == "send" {
			// Keep the text exactly, spaces included, after "send ".
			val = strings.TrimPrefix(strings.TrimLeft(text, " \t"), "send")
			val = strings.TrimPrefix(val, " ")
		} else {
			val = strings.TrimSpace(val)
		}
		if key == "case" {
			if err := finish(); err != nil {
				return nil, err
			}
			if !idRe.MatchString(val) {
				return nil, &CaseError{line, fmt.Sprintf("bad case id %q", val)}
			}
			if seen[val] {
				return nil, &CaseError{line, fmt.Sprintf("duplicate case id %q", val)}
			}
			seen[val] = true
			cur, keys = &Case{ID: val, Line: line}, map[string]bool{}
			continue
		}
		if cur == nil {
			return nil, &CaseError{line, fmt.Sprintf("%q before the first case line", key)}
		}
		if keys[key] && key != "send" {
			return nil, &CaseError{line, fmt.Sprintf("case %s: %s given twice", cur.ID, key)}
		}
		keys[key] = true
		switch key {
		case "category":
			switch val {
			case "compliance", "smuggling", "robustness":
			default:
				return nil, &CaseError{line, fmt.Sprintf("unknown category %q", val)}
			}
			cur.Category = val
		case "rfc":
			cur.RFC = val
		case "level":
			switch val {
			case LevelMust, LevelShould, LevelMay:
			default:
				return nil, &CaseError{line, fmt.Sprintf("unknown level %q (MUST, SHOULD or MAY)", val)}
			}
			cur.Level = val
		case "title":
			cur.Title = val
		case "expect":
			e, err := ParseExpect(val)
			if err != nil {
				return nil, &CaseError{line, err.Error()}
			}
			cur.Expect = e
		case "send":
			if _, err := expand(val, "h", "/"); err != nil {
				return nil, &CaseError{line, err.Error()}
			}
			cur.Send += val
		default:
			return nil, &CaseError{line, fmt.Sprintf("unknown key %q", key)}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &CaseError{line + 1, err.Error()}
	}
	if err := finish(); err != nil {
		return nil, err
	}
	if len(cases) == 0 {
		return nil, &CaseError{line, "no case"}
	}
	return cases, nil
}

var idRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)

// expand renders send text into bytes.
func expand(s, host, path string) ([]byte, error) {
	out, rest, err := expandUntil(nil, s, host, path, false)
	if err != nil {
		return nil, err
	}
	if rest != "" {
		return nil, fmt.Errorf("unbalanced } in %q", s)
	}
	return out, nil
}

// expandUntil appends the bytes of s to dst up to the end, or, when nested,
// up to the } that closes a {repeat}; it returns what follows that }.
func expandUntil(dst []byte, s, host, path string, nested bool) ([]byte, string, error) {
	for len(s) > 0 {
		c := s[0]
		switch {
		case c == '\\':
			if len(s) < 2 {
				return nil, "", errors.New("a \\ ends the line")
			}
			switch s[1] {
			case 'r':
				dst = append(dst, '\r')
			case 'n':
				dst = append(dst, '\n')
			case 't':
				dst = append(dst, '\t')
			case '0':
				dst = append(dst, 0)
			case '\\', '{', '}':
				dst = append(dst, s[1])
			case 'x':
				if len(s) < 4 {
					return nil, "", errors.New("\\x needs two hex digits")
				}
				v, err := strconv.ParseUint(s[2:4], 16, 8)
				if err != nil {
					return nil, "", fmt.Errorf("bad escape \\x%s", s[2:4])
				}
				dst = append(dst, byte(v))
				s = s[2:]
			default:
				return nil, "", fmt.Errorf("unknown escape \\%c", s[1])
			}
			s = s[2:]
		case c == '}':
			if !nested {
				return nil, "", errors.New("} without {")
			}
			return dst, s[1:], nil
		case c == '{':
			switch {
			case strings.HasPrefix(s, "{host}"):
				dst, s = append(dst, host...), s[len("{host}"):]
			case strings.HasPrefix(s, "{path}"):
				dst, s = append(dst, path...), s[len("{path}"):]
			case strings.HasPrefix(s, "{repeat "):
				s = s[len("{repeat "):]
				num, body, ok := strings.Cut(s, " ")
				n, err := strconv.Atoi(num)
				if !ok || err != nil || n < 0 || n > maxRepeat {
					return nil, "", fmt.Errorf("{repeat N TEXT} needs a count 0–%d", maxRepeat)
				}
				unit, rest, err := expandUntil(nil, body, host, path, true)
				if err != nil {
					return nil, "", err
				}
				if len(unit)*n > maxRepeat {
					return nil, "", fmt.Errorf("{repeat} over %d bytes", maxRepeat)
				}
				dst = append(dst, bytes.Repeat(unit, n)...)
				s = rest
			default:
				return nil, "", errors.New("{ starts neither {host}, {path} nor {repeat N TEXT} (write \\{ for the byte)")
			}
		default:
			dst = append(dst, c)
			s = s[1:]
		}
	}
	if nested {
		return nil, "", errors.New("{repeat} without its }")
	}
	return dst, "", nil
}
