package h1

import "strings"

// Method is a request method, after Godot's HTTPClient.Method.
type Method uint8

// The methods Godot knows, in its order.
const (
	MethodGet Method = iota
	MethodHead
	MethodPost
	MethodPut
	MethodDelete
	MethodOptions
	MethodTrace
	MethodConnect
	MethodPatch
	methodCount
)

var methodNames = [methodCount]string{"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH"}

// String returns the method's token, such as "GET", or "" for a value
// outside the enum.
func (m Method) String() string {
	if m < methodCount {
		return methodNames[m]
	}
	return ""
}

// ParseMethod returns the Method whose token is s ("GET", "PATCH", …;
// methods are case-sensitive, RFC 9110 §9.1), and false for a token that
// is not one of Godot's nine.
func ParseMethod(s string) (Method, bool) {
	for m := range methodCount {
		if methodNames[m] == s {
			return m, true
		}
	}
	return 0, false
}

// idempotent reports the methods that RFC 9110 §9.2.2 calls idempotent:
// a request of one of them may be sent again on a fresh connection when a
// kept-alive one turned out to be closed.
func (m Method) idempotent() bool {
	switch m {
	case MethodGet, MethodHead, MethodPut, MethodDelete, MethodOptions, MethodTrace:
		return true
	}
	return false
}

// checkURL applies Godot's rules for a request URL: "host:port" for
// CONNECT (RFC 9112 §3.2.3), "*" for OPTIONS (§3.2.4), and otherwise an
// absolute path ("/…") or an absolute http(s) URL.
func checkURL(m Method, url string) bool {
	switch m {
	case MethodConnect:
		i := strings.LastIndexByte(url, ':')
		return i > 0 && i < len(url)-1
	case MethodOptions:
		if url == "*" {
			return true
		}
	}
	return strings.HasPrefix(url, "/") || strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://")
}
