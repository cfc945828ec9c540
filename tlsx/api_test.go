package tlsx_test

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/h1dev/h1/tlsx"
)

func TestParsePin(t *testing.T) {
	sum := sha256.Sum256([]byte("key"))
	good := "sha256//" + base64.StdEncoding.EncodeToString(sum[:])
	p, err := tlsx.ParsePin(good)
	if err != nil || p != tlsx.Pin(sum) {
		t.Fatalf("ParsePin(%q) = %x, %v; want %x, nil", good, p, err, sum)
	}
	if p.String() != good {
		t.Errorf("String = %q; want %q", p.String(), good)
	}
	bad := []struct{ in, reason string }{
		{"", "prefix"},
		{base64.StdEncoding.EncodeToString(sum[:]), "prefix"},
		{"sha1//" + base64.StdEncoding.EncodeToString(sum[:20]), "prefix"},
		{"sha256//not base64!", "base64"},
		{"sha256//" + base64.StdEncoding.EncodeToString(sum[:31]), "32 bytes"},
		{"sha256//" + base64.RawStdEncoding.EncodeToString(sum[:]), "base64"},
	}
	for _, c := range bad {
		_, err := tlsx.ParsePin(c.in)
		var pe *tlsx.PinError
		if !errors.As(err, &pe) || !errors.Is(err, tlsx.ErrPinSyntax) {
			t.Errorf("ParsePin(%q) = %v; want a *PinError wrapping ErrPinSyntax", c.in, err)
			continue
		}
		if pe.Pin != c.in || !strings.Contains(pe.Reason, c.reason) {
			t.Errorf("ParsePin(%q): Pin %q, Reason %q; want the input and %q", c.in, pe.Pin, pe.Reason, c.reason)
		}
	}
}

func TestPinOf(t *testing.T) {
	f := certs(t)
	want := sha256.Sum256(f.good.Leaf.RawSubjectPublicKeyInfo)
	if got := tlsx.PinOf(f.good.Leaf); got != tlsx.Pin(want) {
		t.Errorf("PinOf = %x; want %x", got, want)
	}
}

var sentinels = []error{
	tlsx.ErrHostnameMismatch, tlsx.ErrUnknownAuthority, tlsx.ErrCertificateExpired,
	tlsx.ErrCertificateInvalid, tlsx.ErrPinMismatch, tlsx.ErrProtocolVersion,
	tlsx.ErrHandshakeTimeout, tlsx.ErrHandshake, tlsx.ErrBadRecord, tlsx.ErrAlert,
	tlsx.ErrTruncated, tlsx.ErrTransport, tlsx.ErrClosed, tlsx.ErrNotConnected,
	tlsx.ErrInUse, tlsx.ErrPinSyntax,
}

func TestErrorMessages(t *testing.T) {
	msgs := append([]error{}, sentinels...)
	msgs = append(msgs,
		&tlsx.Error{Kind: tlsx.ErrHandshake, Host: "example.com", Err: errors.New("tls: boom")},
		&tlsx.PinError{Pin: "x", Reason: "why"})
	for _, e := range msgs {
		m := e.Error()
		if !strings.HasPrefix(m, "h1: ") {
			t.Errorf("%q does not start with %q", m, "h1: ")
		}
		if r := []rune(strings.TrimPrefix(m, "h1: ")); len(r) == 0 || unicode.IsUpper(r[0]) {
			t.Errorf("%q does not go on in lower case", m)
		}
	}
	e := &tlsx.Error{Kind: tlsx.ErrCertificateExpired}
	if !errors.Is(e, tlsx.ErrCertificateInvalid) || !errors.Is(e, tlsx.ErrCertificateExpired) {
		t.Errorf("an expired certificate's error is not also an invalid one")
	}
	if errors.Is(&tlsx.Error{Kind: tlsx.ErrCertificateInvalid}, tlsx.ErrCertificateExpired) {
		t.Errorf("an invalid certificate's error claims to be an expired one")
	}
	cause := errors.New("cause")
	if !errors.Is(&tlsx.Error{Kind: tlsx.ErrTransport, Err: cause}, cause) {
		t.Errorf("errors.Is does not reach the cause")
	}
}

func TestStatusNames(t *testing.T) {
	want := map[tlsx.Status]string{
		tlsx.StatusDisconnected:          "disconnected",
		tlsx.StatusHandshaking:           "handshaking",
		tlsx.StatusConnected:             "connected",
		tlsx.StatusError:                 "error",
		tlsx.StatusErrorHostnameMismatch: "error-hostname-mismatch",
		tlsx.Status(200):                 "status(200)",
	}
	for s, name := range want {
		if s.String() != name {
			t.Errorf("Status(%d).String() = %q; want %q", s, s.String(), name)
		}
	}
	var zero tlsx.Status
	if zero != tlsx.StatusDisconnected {
		t.Errorf("zero Status = %v; want disconnected", zero)
	}
	if tlsx.HelloGo.String() != "go" || tlsx.HelloChrome.String() != "chrome" {
		t.Errorf("Hello names: %q %q", tlsx.HelloGo, tlsx.HelloChrome)
	}
}

// TestImports holds the import rule: tlsx runs over any StreamPeer and
// imports no implementation of one.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "github.com/h1dev/h1/") && path != "github.com/h1dev/h1/streampeer" {
				t.Errorf("%s imports %s; tlsx may import only streampeer of this module", name, path)
			}
		}
	}
}
