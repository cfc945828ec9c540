package parser

import (
	"errors"
	"strconv"
)

// Sentinel errors. Callers branch on these with errors.Is.
var (
	// ErrNeedMore reports that the input ends before the element being
	// parsed is complete. It is not a protocol violation: call again with
	// more bytes appended to the same buffer.
	ErrNeedMore = errors.New("h1: need more data")

	// ErrHeadTooLarge reports a head (or trailer section, or chunk line)
	// larger than its limit. A *ProtocolError of kind KindHeadTooLarge or
	// KindLineTooLong matches it with errors.Is.
	ErrHeadTooLarge = errors.New("h1: head too large")

	// ErrTooManyHeaders reports more fields than the caller's slice holds.
	// A *ProtocolError of kind KindTooManyHeaders matches it with errors.Is.
	ErrTooManyHeaders = errors.New("h1: too many header fields")

	// ErrInvalidRequest reports a request that the writer refuses to
	// encode: the caller's input, not the peer, broke a rule. The
	// *EncodeError that carries it names the rule.
	ErrInvalidRequest = errors.New("h1: invalid request")
)

// Kind names the rule that a peer's bytes broke.
type Kind uint8

// The kinds of protocol violation. Each names one rule; String gives the
// stable, machine-readable name that `h1 parse` prints.
const (
	KindNone Kind = iota
	KindStartLine
	KindVersion
	KindStatusCode
	KindReason
	KindMethod
	KindTarget
	KindHeaderName
	KindSpaceBeforeColon
	KindHeaderValue
	KindLeadingWhitespace
	KindObsFold
	KindBareCR
	KindBareLF
	KindContentLength
	KindContentLengthOverflow
	KindContentLengthConflict
	KindTransferEncodingWithLength
	KindTransferEncoding
	KindChunkedNotFinal
	KindChunkedTwice
	KindTransferEncodingHTTP10
	KindMissingHost
	KindDuplicateHost
	KindChunkSize
	KindChunkSizeOverflow
	KindChunkExtension
	KindChunkDataEnd
	KindTrailer
	KindChunkOverhead
	KindLineTooLong
	KindHeadTooLarge
	KindTooManyHeaders
	KindUnsolicitedUpgrade
	kindCount
)

var kindNames = [kindCount]string{
	KindNone:                       "none",
	KindStartLine:                  "malformed-start-line",
	KindVersion:                    "bad-version",
	KindStatusCode:                 "bad-status-code",
	KindReason:                     "bad-reason-phrase",
	KindMethod:                     "bad-method",
	KindTarget:                     "bad-request-target",
	KindHeaderName:                 "bad-header-name",
	KindSpaceBeforeColon:           "space-before-colon",
	KindHeaderValue:                "bad-header-value",
	KindLeadingWhitespace:          "whitespace-before-first-header",
	KindObsFold:                    "obs-fold",
	KindBareCR:                     "bare-cr",
	KindBareLF:                     "bare-lf",
	KindContentLength:              "bad-content-length",
	KindContentLengthOverflow:      "content-length-overflow",
	KindContentLengthConflict:      "conflicting-content-length",
	KindTransferEncodingWithLength: "transfer-encoding-with-content-length",
	KindTransferEncoding:           "bad-transfer-encoding",
	KindChunkedNotFinal:            "chunked-not-final",
	KindChunkedTwice:               "chunked-twice",
	KindTransferEncodingHTTP10:     "transfer-encoding-in-http10",
	KindMissingHost:                "missing-host",
	KindDuplicateHost:              "duplicate-host",
	KindChunkSize:                  "bad-chunk-size",
	KindChunkSizeOverflow:          "chunk-size-overflow",
	KindChunkExtension:             "bad-chunk-extension",
	KindChunkDataEnd:               "missing-crlf-after-chunk-data",
	KindTrailer:                    "bad-trailer",
	KindChunkOverhead:              "chunk-overhead-too-large",
	KindLineTooLong:                "line-too-long",
	KindHeadTooLarge:               "head-too-large",
	KindTooManyHeaders:             "too-many-headers",
	KindUnsolicitedUpgrade:         "unsolicited-101",
}

// String returns the kind's stable name, such as "bad-content-length".
func (k Kind) String() string {
	if k < kindCount {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ProtocolError reports bytes from the peer that break a rule of RFC 9112
// or RFC 9110. Offset is the position of the offending byte in the input
// (for the chunked decoder: in the whole chunked stream).
type ProtocolError struct {
	Kind   Kind
	Offset int64
}

// Error returns "h1: <kind> at offset <n>".
func (e *ProtocolError) Error() string {
	return "h1: " + e.Kind.String() + " at offset " + strconv.FormatInt(e.Offset, 10)
}

// Is lets errors.Is match the limit kinds against ErrHeadTooLarge and
// ErrTooManyHeaders.
func (e *ProtocolError) Is(target error) bool {
	switch target {
	case ErrHeadTooLarge:
		return e.Kind == KindHeadTooLarge || e.Kind == KindLineTooLong
	case ErrTooManyHeaders:
		return e.Kind == KindTooManyHeaders
	}
	return false
}

// perr builds a protocol error. It is the only place errors are made on
// the parse path, so no message is ever built inline.
func perr(k Kind, off int) error {
	return &ProtocolError{Kind: k, Offset: int64(off)}
}

// EncodeError reports a request the writer refused before writing a byte.
// It matches ErrInvalidRequest with errors.Is.
type EncodeError struct {
	// Field is what was refused: "method", "target", "header-name",
	// "header-value", "user-agent", "host", "content-length",
	// "transfer-encoding".
	Field string
	// Reason says which rule it broke.
	Reason string
}

// Error returns "h1: invalid request: <field>: <reason>".
func (e *EncodeError) Error() string {
	return "h1: invalid request: " + e.Field + ": " + e.Reason
}

// Unwrap returns ErrInvalidRequest.
func (e *EncodeError) Unwrap() error { return ErrInvalidRequest }
