package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/h1dev/h1/parser"
)

// maxFields is room for as many fields as the head size allows (the
// shortest field line is "a:" and LF), so only the size bounds them.
const maxFields = parser.DefaultMaxHeadSize / len("a:\n")

type interimJSON struct {
	Status  int         `json:"status"`
	Reason  latin1      `json:"reason"`
	Headers [][2]latin1 `json:"headers"`
}

type parseOK struct {
	OK        bool          `json:"ok"`
	Version   string        `json:"version"`
	Status    int           `json:"status"`
	Reason    latin1        `json:"reason"`
	Headers   [][2]latin1   `json:"headers"`
	Body      []byte        `json:"body_b64"`
	Trailers  [][2]latin1   `json:"trailers"`
	KeepAlive bool          `json:"keep_alive"`
	Framing   string        `json:"framing"`
	Interim   []interimJSON `json:"interim"`
	Rest      []byte        `json:"rest_b64"`
}

type parseFail struct {
	OK     bool   `json:"ok"`
	Error  string `json:"error"`
	Kind   string `json:"kind"`
	Offset int64  `json:"offset"`
}

// Kinds of failure that are not a rule of the grammar but of the exchange.
const (
	kindIncompleteHead = "incomplete-head"
	kindTruncatedBody  = "truncated-body"
)

func fields(hs []parser.Header) [][2]latin1 {
	out := make([][2]latin1, len(hs))
	for i, h := range hs {
		out[i] = [2]latin1{latin1(h.Name), latin1(h.Value)}
	}
	return out
}

// parseExchange reads one response out of data, the whole of what the
// server sent before closing, through parser.ResponseReader (the reader
// the Client and the load generator use). It returns the verdict as
// JSON-ready values.
func parseExchange(data []byte, method string, upgrade bool) (*parseOK, *parseFail) {
	fail := func(err error, at int) *parseFail {
		var pe *parser.ProtocolError
		if errors.As(err, &pe) {
			return &parseFail{Error: fmt.Sprintf("h1: %v at offset %d", pe.Kind, int64(at)+pe.Offset), Kind: pe.Kind.String(), Offset: int64(at) + pe.Offset}
		}
		return &parseFail{Error: err.Error(), Kind: "error", Offset: int64(at)}
	}
	out := &parseOK{OK: true, Interim: []interimJSON{}, Trailers: [][2]latin1{}, Body: []byte{}}
	r := parser.ResponseReader{
		Head:     parser.ResponseHead{Headers: make([]parser.Header, 0, maxFields)},
		Trailers: make([]parser.Header, 0, maxFields),
	}
	r.Start(method, upgrade)
	pos, base := 0, 0 // consumed; where the current head or body began
	var body []byte
	for {
		ev, n, err := r.Next(data[pos:])
		if err != nil {
			return nil, fail(err, base)
		}
		pos += n
		switch ev {
		case parser.EventInterim:
			h := &r.Head
			out.Interim = append(out.Interim, interimJSON{Status: h.Status, Reason: latin1(h.Reason), Headers: fields(h.Headers)})
			base = pos
			continue
		case parser.EventHead:
			h := &r.Head
			out.Version = fmt.Sprintf("HTTP/1.%d", h.Minor)
			out.Status, out.Reason, out.Headers = h.Status, latin1(h.Reason), fields(h.Headers)
			out.KeepAlive, out.Framing = h.KeepAlive, h.Framing.String()
			base = pos
			continue
		case parser.EventData:
			body = append(body, r.Data()...)
			continue
		case parser.EventTrailers:
			out.Trailers = fields(r.Trailers)
			continue
		case parser.EventEnd:
		default: // need more: the input is all there is, so the server closed
			if n > 0 {
				continue
			}
			ev, err := r.EOF()
			switch {
			case err != nil && out.Status == 0:
				return nil, &parseFail{Error: "h1: the input ends inside a response head", Kind: kindIncompleteHead, Offset: int64(len(data))}
			case err != nil && r.Head.Framing == parser.FramingChunked:
				return nil, &parseFail{Error: "h1: chunked body ends before its last chunk", Kind: kindTruncatedBody, Offset: int64(len(data))}
			case err != nil:
				return nil, &parseFail{Error: fmt.Sprintf("h1: body ends after %d of %d bytes", r.BodyRead(), r.Head.ContentLength), Kind: kindTruncatedBody, Offset: int64(len(data))}
			case ev != parser.EventEnd:
				return nil, fail(errors.New("h1: response reader stopped before the end"), pos)
			}
		}
		break
	}
	if body != nil {
		out.Body = body
	}
	out.Rest = data[pos:]
	return out, nil
}

func runParse(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	method := fs.String("method", "GET", "method of the request the response answers (HEAD: no body; CONNECT: tunnel)")
	upgrade := fs.Bool("upgrade", false, "the request asked for an Upgrade: a 101 may answer it (without this flag a 101 is an error)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: h1 parse [--method METHOD] [--upgrade] < response\n\nReads one exchange's raw response bytes on stdin (EOF = the server closed)\nand prints one JSON object. Exit 0 when the response is valid, 1 when not.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	data, err := io.ReadAll(stdin)
	if err != nil {
		writeJSON(stdout, parseFail{Error: "h1: reading stdin: " + err.Error(), Kind: "io"})
		return 1
	}
	ok, bad := parseExchange(data, *method, *upgrade)
	if bad != nil {
		writeJSON(stdout, bad)
		return 1
	}
	writeJSON(stdout, ok)
	return exitOK
}
