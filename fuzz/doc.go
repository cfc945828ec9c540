// Package fuzz holds the engine's fuzz targets, for Go's native fuzzing
// (go test -fuzz). It has no code of its own outside tests: the targets
// live in its _test.go files and their seed corpora under testdata/fuzz.
//
// Three kinds of target:
//
//   - crash and invariant targets feed arbitrary bytes to the read path
//     (ParseResponseHead, ParseRequestHead, ChunkedDecoder), cut at
//     fuzzer-chosen points, and check that nothing panics, that the verdict
//     does not depend on the cuts, that every view lies inside the input and
//     that no count exceeds it;
//   - round-trip targets write a request with AppendRequestHead and parse it
//     back: the writer either refuses or produces exactly one request with
//     exactly the given fields;
//   - differential targets run the same bytes through net/http's
//     ReadResponse and compare status, fields, body and framing wherever
//     both accept.
//
// # Where h1 and net/http disagree
//
// FuzzDifferentialNetHTTP feeds the same bytes to h1's parser and to
// net/http's ReadResponse. Where both accept, they agree on the status, the
// fields, the body and whether the connection closes. Where they disagree,
// it is one of these, each on purpose:
//
//	input                               net/http             h1       rule that makes h1 right
//	status code 000–099 or 600–999      accepts              refuses  RFC 9110 §15: valid codes are 100–599
//	HTTP/2.0 (any major other than 1)   accepts              refuses  RFC 9112 §2.3: this wire speaks HTTP/1.x
//	two SPs before the status code      accepts              refuses  RFC 9112 §4: exactly one SP
//	CTL in the reason phrase            accepts              refuses  RFC 9112 §4: HTAB / SP / VCHAR / obs-text
//	obs-fold                            unfolds              refuses  RFC 9112 §5.2 allows rejecting; Options.AllowObsFold unfolds
//	whitespace between name and colon   accepts              refuses  RFC 9112 §5.1: the desync vector this rule exists for
//	Transfer-Encoding + Content-Length  TE wins              refuses  RFC 9112 §6.3: "ought to be handled as an error"
//	Transfer-Encoding in HTTP/1.0       ignores TE           refuses  RFC 9112 §6.1: the framing is faulty
//	whitespace after a chunk size       trims it             refuses  RFC 9112 §7.1: chunk-size [ chunk-ext ] CRLF
//	malformed chunk extension           ignores it           refuses  RFC 9112 §7.1.1: the chunk-ext grammar
//	malformed trailer field             accepts              refuses  RFC 9112 §7.1.2: trailers are field lines
//	"gzip, chunked"                     refuses              accepts  RFC 9112 §6.1: codings may precede chunked
//	empty lines before the status line  refuses              skips    RFC 9112 §2.2's robustness rule, as llhttp and httparse do
//
// A head cut off by the end of input is incomplete for h1 (the server
// closed mid-head); net/http may still return what it read. The fuzz
// target treats that as agreement.
//
// Run one target with
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzResponseHead$' -fuzztime 1m
//
// or every target in turn with make fuzz FUZZTIME=1m.
package fuzz
