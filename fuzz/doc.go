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
// Run one target with
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzResponseHead$' -fuzztime 1m
//
// or every target in turn with make fuzz FUZZTIME=1m.
package fuzz
