package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/h1dev/h1/parser"
)

type encodeIn struct {
	Method  []byte      `json:"method_b64"`
	Target  []byte      `json:"target_b64"`
	Headers [][2][]byte `json:"headers_b64"`
	Body    []byte      `json:"body_b64"`
}

type encodeOK struct {
	OK   bool   `json:"ok"`
	Wire []byte `json:"wire_b64"`
}

type encodeFail struct {
	OK    bool   `json:"ok"`
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// encodeRequest builds the wire bytes of one request: the head as the
// writer makes it (no fields beyond the caller's, but Host and framing),
// then the body, chunked when the caller's Transfer-Encoding says so.
func encodeRequest(in *encodeIn) ([]byte, error) {
	r := parser.Request{Method: string(in.Method), Target: string(in.Target), ContentLength: -1, NoDefaults: true}
	chunked := false
	for _, kv := range in.Headers {
		r.Headers = append(r.Headers, parser.Header{Name: kv[0], Value: kv[1]})
		if string(kv[0]) != "" && parser.EqualFold(kv[0], "transfer-encoding") {
			chunked = true
		}
	}
	if len(in.Body) > 0 && !chunked {
		r.ContentLength = int64(len(in.Body))
	}
	wire, err := parser.AppendRequestHead(nil, &r)
	if err != nil {
		return nil, err
	}
	if chunked {
		wire = parser.AppendLastChunk(parser.AppendChunk(wire, in.Body))
	} else {
		wire = append(wire, in.Body...)
	}
	return wire, nil
}

func runEncode(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("encode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: h1 encode < request.json\n\nReads {\"method_b64\",\"target_b64\",\"headers_b64\":[[n,v]...],\"body_b64\"} on stdin\nand prints {\"ok\":true,\"wire_b64\":...}, or {\"ok\":false,\"error\":...} and exit 1\nwhen the writer refuses the request.\n")
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	var in encodeIn
	dec := json.NewDecoder(stdin)
	if err := dec.Decode(&in); err != nil {
		writeJSON(stdout, encodeFail{Error: "h1: reading the request JSON: " + err.Error(), Field: "json"})
		return 1
	}
	wire, err := encodeRequest(&in)
	if err != nil {
		f := encodeFail{Error: err.Error()}
		var ee *parser.EncodeError
		if errors.As(err, &ee) {
			f.Field = ee.Field
		}
		writeJSON(stdout, f)
		return 1
	}
	writeJSON(stdout, encodeOK{OK: true, Wire: wire})
	return exitOK
}
