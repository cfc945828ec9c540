package parser

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestNibbleTables checks the nibble lookup that the vector classifier
// does against the byte tables, for every byte.
func TestNibbleTables(t *testing.T) {
	nt := &nibbleTables
	for c := 0; c < 256; c++ {
		lo, hi := c&15, c>>4
		if got, want := nt.tokenLo[lo]&nt.tokenHi[hi] != 0, isToken[c]; got != want {
			t.Errorf("byte %#x: tchar by nibbles = %v; want %v", c, got, want)
		}
		if got, want := nt.ctlLo[lo]&nt.ctlHi[hi] != 0, !isFieldByte(byte(c)); got != want {
			t.Errorf("byte %#x: not a field byte by nibbles = %v; want %v", c, got, want)
		}
	}
}

// TestClassifyBlocks checks the classifier in use (a vector one where the
// CPU has it) against classifyScalar: every byte value at every position
// of a block, and random input of every length, at every word index.
func TestClassifyBlocks(t *testing.T) {
	check := func(src []byte, word int) {
		t.Helper()
		var got, want scanMasks
		classifyBlocks(&got, word, src)
		classifyScalar(&want, word, src)
		if got != want {
			t.Fatalf("classify %q at word %d:\n got %x\nwant %x", src, word, got, want)
		}
	}
	src := make([]byte, 256)
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 64; pos++ {
			for k := range src {
				src[k] = "Content-Type: text/html\r\n"[k%25]
			}
			for blk := 0; blk < len(src); blk += 64 {
				src[blk+(pos+blk/64*17)%64] = byte(c)
			}
			check(src, 0)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		src := make([]byte, 1+r.IntN((scanWords+1)*64))
		for k := range src {
			src[k] = byte(r.IntN(256))
		}
		check(src, r.IntN(scanWords+2-(len(src)+63)/64))
	}
}

// headResult is everything a parse reports, for comparing two parses.
type headResult struct {
	N        int
	Err      error
	Kind     Kind
	Off      int64
	Fields   []hdr
	Status   int
	Reason   string
	Method   string
	Target   string
	Host     string
	Minor    int
	Framing  Framing
	Length   int64
	Keep     bool
	Buf      string // the buffer after the parse: obs-fold rewrites it
	Resume   int
	Checked  int
	Trailers []hdr
}

func fieldsOf(hs []Header) []hdr {
	var out []hdr
	for _, h := range hs {
		out = append(out, hdr{string(h.Name), string(h.Value)})
	}
	return out
}

func (r *headResult) setErr(err error) {
	var pe *ProtocolError
	if errors.As(err, &pe) {
		r.Kind, r.Off = pe.Kind, pe.Offset
	} else {
		r.Err = err
	}
}

// parseBoth parses in as a response, as a request and as a trailer
// section, with the block scan off and on, and fails on any difference.
// It also feeds each prefix to one head value, as a reader would.
func parseBoth(t *testing.T, in []byte, o Options, hcap int) {
	t.Helper()
	run := func(walk bool) (out []headResult) {
		defer func(old bool) { useBlockScan = old }(useBlockScan)
		useBlockScan = walk

		b := bytes.Clone(in)
		rh := ResponseHead{Headers: make([]Header, 0, hcap), Options: o}
		var r headResult
		r.N, _ = ParseResponseHead(b, &rh)
		_, err := ParseResponseHead(b, &rh) // a second parse over the same head value
		r.setErr(err)
		r.Fields, r.Status, r.Reason, r.Minor = fieldsOf(rh.Headers), rh.Status, string(rh.Reason), rh.Minor
		r.Framing, r.Length, r.Keep, r.Buf = rh.Framing, rh.ContentLength, rh.KeepAlive, string(b)
		out = append(out, r)

		b = bytes.Clone(in)
		qh := RequestHead{Headers: make([]Header, 0, hcap), Options: o}
		r = headResult{}
		r.N, err = ParseRequestHead(b, &qh)
		r.setErr(err)
		r.Fields, r.Method, r.Target, r.Host, r.Minor = fieldsOf(qh.Headers), string(qh.Method), string(qh.Target), string(qh.Host), qh.Minor
		r.Framing, r.Length, r.Keep, r.Buf = qh.Framing, qh.ContentLength, qh.KeepAlive, string(b)
		out = append(out, r)

		// Every prefix, into one head value: the dry runs and resumes.
		if !o.AllowObsFold && len(in) < 600 {
			rh := ResponseHead{Headers: make([]Header, 0, hcap), Options: o}
			for k := 0; k <= len(in); k++ {
				r = headResult{}
				r.N, err = ParseResponseHead(in[:k:k], &rh)
				r.setErr(err)
				r.Resume, r.Checked = rh.scan.resume, rh.scan.fields
				out = append(out, r)
				if err != ErrNeedMore {
					break
				}
			}
		}

		// A trailer section.
		d := ChunkedDecoder{Trailers: make([]Header, 0, hcap), AllowObsFold: o.AllowObsFold}
		b = append([]byte("0\r\n"), in...)
		r = headResult{}
		var nOut int
		nOut, r.N, err = d.DecodeInPlace(b)
		r.setErr(err)
		r.Length, r.Trailers = int64(nOut), fieldsOf(d.Trailers)
		return append(out, r)
	}
	loops, blocks := run(false), run(true)
	if !reflect.DeepEqual(loops, blocks) {
		for k := range loops {
			if k < len(blocks) && !reflect.DeepEqual(loops[k], blocks[k]) {
				t.Fatalf("%q %+v cap %d: parse %d:\nloops  %+v\nblocks %+v", in, o, hcap, k, loops[k], blocks[k])
			}
		}
		t.Fatalf("%q %+v cap %d: %d parses with loops, %d with blocks", in, o, hcap, len(loops), len(blocks))
	}
}

// TestBlockScanMatchesLoops runs the parser with and without the block
// scan over every case of the tables, the fixtures, and random heads
// built to hit the edges: lines across 64-byte blocks and the 1 KiB
// window, every kind of bad byte, bare CR and LF, obs-fold, OWS, a full
// header slice. Every verdict, offset and field must match.
func TestBlockScanMatchesLoops(t *testing.T) {
	optionSets := []Options{{}, {RejectBareLF: true}, {AllowObsFold: true}, {MaxHeadSize: 300}}
	var inputs []string
	for _, c := range respCases {
		inputs = append(inputs, c.in)
	}
	for _, c := range reqCases {
		inputs = append(inputs, c.in)
	}
	for _, f := range []string{"small-300B-CL64", "github-16hdr-CL242", "httparse-resp"} {
		data, err := os.ReadFile("testdata/" + f + ".bin")
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, string(data))
	}
	for _, in := range inputs {
		for _, o := range optionSets {
			parseBoth(t, []byte(in), o, 64)
			parseBoth(t, []byte(in), o, 2)
		}
	}

	r := rand.New(rand.NewPCG(5, 6))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		in := randomHead(r)
		if r.IntN(4) == 0 && len(in) > 0 {
			// One byte changed to any value.
			in[r.IntN(len(in))] = byte(r.IntN(256))
		}
		parseBoth(t, in, optionSets[r.IntN(3)], 1+r.IntN(40))
	}
}

// randomHead builds a head, usually well formed, whose lines vary in
// length and content.
func randomHead(r *rand.Rand) []byte {
	const (
		nameBytes  = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!#$%&'*+^`|~"
		valueBytes = "abcdefghijklmnopqrstuvwxyz0123456789 ,;=/\"()<>@[]{}?:\\"
		oddBytes   = "\t\r\n\x00\x01\x1f\x7f\x80\xff :"
	)
	pick := func(s string) byte { return s[r.IntN(len(s))] }
	var b []byte
	if r.IntN(2) == 0 {
		b = append(b, "HTTP/1.1 200 OK\r\n"...)
	} else {
		b = append(b, "GET / HTTP/1.1\r\n"...)
	}
	lines := r.IntN(30)
	for range lines {
		long := r.IntN(20) == 0
		nlen := 1 + r.IntN(20)
		if long && r.IntN(2) == 0 {
			nlen = 60 + r.IntN(100)
		}
		for range nlen {
			c := pick(nameBytes)
			if r.IntN(60) == 0 {
				c = pick(oddBytes)
			}
			b = append(b, c)
		}
		if r.IntN(30) == 0 {
			b = append(b, ' ')
		}
		b = append(b, ':')
		b = append(b, []string{"", " ", " ", " ", "  ", "\t", " \t"}[r.IntN(7)]...)
		vlen := r.IntN(90)
		if long {
			vlen = 60 + r.IntN(1500)
		}
		for range vlen {
			c := pick(valueBytes)
			if r.IntN(300) == 0 {
				c = pick(oddBytes)
			}
			b = append(b, c)
		}
		if r.IntN(10) == 0 {
			b = append(b, []string{" ", "\t", "  "}[r.IntN(3)]...)
		}
		b = append(b, []string{"\r\n", "\r\n", "\r\n", "\r\n", "\r\n", "\r\n", "\n", "\r", "\r\n \r\n", "\r\n\tfold\r\n"}[r.IntN(10)]...)
	}
	if r.IntN(8) > 0 {
		b = append(b, "\r\n"...)
	}
	if r.IntN(3) == 0 {
		b = append(b, strings.Repeat("x", r.IntN(300))...)
	}
	return b
}
