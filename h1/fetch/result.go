package fetch

import (
	"context"
	"errors"
	"strconv"

	"github.com/h1dev/h1/h1"
)

// Result is the outcome of a Request, after Godot's HTTPRequest.Result.
// The zero value is ResultSuccess.
type Result uint8

// The results, in Godot's order.
const (
	// ResultSuccess: the request completed; the status code may still be
	// an error status (4xx, 5xx).
	ResultSuccess Result = iota
	// ResultChunkedBodySizeMismatch: the body ended before its announced
	// length, or a chunked body before its last chunk.
	ResultChunkedBodySizeMismatch
	// ResultCantConnect: no address of the host accepted a connection.
	ResultCantConnect
	// ResultCantResolve: the host name did not resolve.
	ResultCantResolve
	// ResultConnectionError: the connection failed, or the server broke
	// the protocol.
	ResultConnectionError
	// ResultTLSHandshakeError: the TLS handshake failed (certificate,
	// protocol version, pin).
	ResultTLSHandshakeError
	// ResultNoResponse: the server closed the connection without
	// answering.
	ResultNoResponse
	// ResultBodySizeLimitExceeded: the decoded body grew past
	// Request.BodySizeLimit.
	ResultBodySizeLimitExceeded
	// ResultBodyDecompressFailed: the Content-Encoding did not decode.
	ResultBodyDecompressFailed
	// ResultRequestFailed: the request could not be made (a bad URL,
	// method or header) or was cancelled.
	ResultRequestFailed
	// ResultDownloadFileCantOpen: the download file could not be created.
	ResultDownloadFileCantOpen
	// ResultDownloadFileWriteError: writing the download file failed.
	ResultDownloadFileWriteError
	// ResultRedirectLimitReached: more redirects than
	// Request.MaxRedirects.
	ResultRedirectLimitReached
	// ResultTimeout: Request.Timeout ran out, or the body stalled for
	// longer than Request.IdleTimeout.
	ResultTimeout
	resultCount
)

var resultNames = [resultCount]string{
	"success", "chunked-body-size-mismatch", "cant-connect", "cant-resolve", "connection-error",
	"tls-handshake-error", "no-response", "body-size-limit-exceeded", "body-decompress-failed",
	"request-failed", "download-file-cant-open", "download-file-write-error", "redirect-limit-reached", "timeout",
}

// String returns the result's name, such as "cant-connect".
func (r Result) String() string {
	if r < resultCount {
		return resultNames[r]
	}
	return "result(" + strconv.Itoa(int(r)) + ")"
}

// Errors a Request reports beside its Result.
var (
	// ErrRedirectLimit: more redirects than allowed.
	ErrRedirectLimit = errors.New("h1: too many redirects")
	// ErrDecompress: the body's Content-Encoding did not decode.
	ErrDecompress = errors.New("h1: body does not decode")
	// ErrNoResponse: the server closed the connection without answering.
	ErrNoResponse = errors.New("h1: server closed the connection without a response")
	// ErrTruncated: the body ended before its announced end.
	ErrTruncated = errors.New("h1: body cut short")
	// ErrDownloadFile: the download file could not be created or written.
	ErrDownloadFile = errors.New("h1: download file")
)

// errHeaderLine is a header line of Start without a name and a colon.
var errHeaderLine = errors.New("h1: header line is not \"Name: value\"")

// resultOf maps an error of the client (or of the request's own steps) to
// the Result that names it.
func resultOf(err error) Result {
	switch {
	case err == nil:
		return ResultSuccess
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, h1.ErrTimeout):
		return ResultTimeout
	case errors.Is(err, ErrRedirectLimit):
		return ResultRedirectLimitReached
	case errors.Is(err, h1.ErrBodyTooLarge):
		return ResultBodySizeLimitExceeded
	case errors.Is(err, ErrDecompress):
		return ResultBodyDecompressFailed
	case errors.Is(err, ErrNoResponse):
		return ResultNoResponse
	case errors.Is(err, ErrTruncated):
		return ResultChunkedBodySizeMismatch
	case errors.Is(err, h1.ErrCantResolve):
		return ResultCantResolve
	case errors.Is(err, h1.ErrCantConnect):
		return ResultCantConnect
	case errors.Is(err, h1.ErrTLSHandshake):
		return ResultTLSHandshakeError
	case errors.Is(err, ErrDownloadFile):
		var fe *fileError
		if errors.As(err, &fe) && fe.open {
			return ResultDownloadFileCantOpen
		}
		return ResultDownloadFileWriteError
	case errors.Is(err, h1.ErrInvalidParameter), errors.Is(err, context.Canceled):
		return ResultRequestFailed
	}
	return ResultConnectionError
}

// fileError is a failure of the download file.
type fileError struct {
	open bool // creating the file failed, not writing it
	err  error
}

func (e *fileError) Error() string {
	if e.open {
		return "h1: download file: cannot open: " + e.err.Error()
	}
	return "h1: download file: cannot write: " + e.err.Error()
}

func (e *fileError) Unwrap() []error { return []error{ErrDownloadFile, e.err} }
