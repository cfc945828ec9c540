package tlsx

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	utls "github.com/refraction-networking/utls"
)

// Hello chooses the ClientHello a Peer sends. Both offer TLS 1.2 only.
type Hello uint8

const (
	// HelloGo is Go's own ClientHello (uTLS's HelloGolang), capped at TLS
	// 1.2. It is the default.
	HelloGo Hello = iota
	// HelloChrome is the ClientHello of a current Chrome with every TLS 1.3
	// part removed (supported_versions, key_share, PSK modes, TLS 1.3
	// suites, ALPS, certificate compression, ECH, post-quantum groups) and
	// ALPN reduced to http/1.1: on the wire it looks like Chrome talking
	// to a TLS 1.2 server.
	HelloChrome
)

// String returns the hello's name.
func (h Hello) String() string {
	switch h {
	case HelloGo:
		return "go"
	case HelloChrome:
		return "chrome"
	}
	return "hello(" + strconv.Itoa(int(h)) + ")"
}

// DefaultHandshakeTimeout is the handshake time limit of Options whose
// HandshakeTimeout is zero.
const DefaultHandshakeTimeout = 30 * time.Second

// Options is what a Peer needs to know to trust a server, after Godot's
// TLSOptions. Build one with Client or ClientUnsafe and adjust the fields;
// the zero value verifies against the system roots, like Client(nil, "")
// without a session cache.
//
// A Peer reads Options when Connect is called and keeps no reference to
// the struct, only to Roots and Sessions, which may be shared by any
// number of Peers.
type Options struct {
	// Roots are the trusted root certificates; nil means the system's.
	Roots *x509.CertPool
	// CommonNameOverride, when not empty, is the name the certificate
	// must be valid for, in place of the host given to Connect. The SNI
	// is still the host.
	CommonNameOverride string
	// Unsafe turns off the host name check; the chain is still verified
	// against Roots when Roots is not nil. With Unsafe set and Roots nil
	// nothing about the certificate is verified (pins still are).
	Unsafe bool
	// Pins, when not empty, require that the public key of the leaf
	// certificate, or of a certificate in a verified chain, matches one
	// of them. They are checked after the chain, on every handshake,
	// resumed ones included.
	Pins []Pin
	// Hello is the ClientHello to send.
	Hello Hello
	// Sessions, when not nil, stores TLS 1.2 session tickets so that a
	// later connection to the same host resumes the session. Sessions are
	// kept apart per trust setup (Roots, CommonNameOverride, Unsafe and
	// Pins): a session is only resumed under the setup that verified it.
	Sessions *SessionCache
	// HandshakeTimeout limits a handshake, counted from Connect; zero
	// means DefaultHandshakeTimeout and a negative value no limit.
	HandshakeTimeout time.Duration
}

// Client returns options that verify the server's chain against roots (the
// system's when nil) and its name against the host, or against
// commonNameOverride when that is not empty. They carry a fresh session
// cache.
func Client(roots *x509.CertPool, commonNameOverride string) *Options {
	return &Options{
		Roots:              roots,
		CommonNameOverride: commonNameOverride,
		Sessions:           NewSessionCache(0),
	}
}

// ClientUnsafe returns options that verify the chain against roots but not
// the host name; with nil roots they verify nothing at all. Use it for
// tests and for servers whose key is pinned. They carry a fresh session
// cache.
func ClientUnsafe(roots *x509.CertPool) *Options {
	return &Options{Roots: roots, Unsafe: true, Sessions: NewSessionCache(0)}
}

// Pin is the SHA-256 of a certificate's SubjectPublicKeyInfo, the form
// curl's --pinnedpubkey and HPKP use.
type Pin [sha256.Size]byte

const pinPrefix = "sha256//"

// ParsePin parses "sha256//" followed by the standard base64 of the
// 32-byte hash. A malformed pin is a *PinError.
func ParsePin(s string) (Pin, error) {
	var p Pin
	b64, ok := strings.CutPrefix(s, pinPrefix)
	if !ok {
		return p, &PinError{Pin: s, Reason: "missing the sha256// prefix"}
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return p, &PinError{Pin: s, Reason: "not base64"}
	}
	if len(raw) != len(p) {
		return p, &PinError{Pin: s, Reason: "not 32 bytes"}
	}
	copy(p[:], raw)
	return p, nil
}

// PinOf returns the pin of cert's public key.
func PinOf(cert *x509.Certificate) Pin {
	return sha256.Sum256(cert.RawSubjectPublicKeyInfo)
}

// String returns the pin as "sha256//BASE64".
func (p Pin) String() string {
	return pinPrefix + base64.StdEncoding.EncodeToString(p[:])
}

// checkPins reports whether the leaf, or a certificate of a verified
// chain, matches a pin. Certificates the server sent but that are not part
// of a verified chain do not count: without verification only the leaf's
// key is proven by the handshake.
func checkPins(pins []Pin, cs utls.ConnectionState) bool {
	match := func(c *x509.Certificate) bool {
		return slices.Contains(pins, PinOf(c))
	}
	if len(cs.PeerCertificates) > 0 && match(cs.PeerCertificates[0]) {
		return true
	}
	for _, chain := range cs.VerifiedChains {
		if slices.ContainsFunc(chain, match) {
			return true
		}
	}
	return false
}

// SessionCache keeps TLS 1.2 session tickets for resumption, partitioned by
// trust setup: a ticket stored by a connection is only offered by a later
// connection with the same roots (compared by content), common-name
// override, Unsafe flag and pins. It is safe for concurrent use.
type SessionCache struct {
	mu    sync.Mutex
	lru   utls.ClientSessionCache
	size  int
	pools []*x509.CertPool // snapshots of the root pools seen; the index names a pool
}

// maxPools bounds the root pools a SessionCache tells apart; past it the
// cache starts afresh.
const maxPools = 64

// NewSessionCache returns a cache that holds up to capacity sessions (64
// when capacity is not positive), dropping the least recently used.
func NewSessionCache(capacity int) *SessionCache {
	if capacity <= 0 {
		capacity = 64
	}
	return &SessionCache{lru: utls.NewLRUClientSessionCache(capacity), size: capacity}
}

// partition returns the view of the cache for one trust setup.
func (c *SessionCache) partition(o *Options) utls.ClientSessionCache {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := -1 // the system roots
	if o.Roots != nil {
		id = slices.IndexFunc(c.pools, o.Roots.Equal)
		if id < 0 {
			if len(c.pools) == maxPools {
				c.pools = nil
				c.lru = utls.NewLRUClientSessionCache(c.size)
			}
			c.pools = append(c.pools, o.Roots.Clone())
			id = len(c.pools) - 1
		}
	}
	var b bytes.Buffer
	b.Grow(64)
	b.Write(binary.BigEndian.AppendUint64(nil, uint64(int64(id))))
	if o.Unsafe {
		b.WriteByte(1)
	} else {
		b.WriteByte(0)
	}
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(o.CommonNameOverride))))
	b.WriteString(o.CommonNameOverride)
	pins := slices.Clone(o.Pins)
	slices.SortFunc(pins, func(a, b Pin) int { return bytes.Compare(a[:], b[:]) })
	pins = slices.Compact(pins)
	for _, p := range pins {
		b.Write(p[:])
	}
	sum := sha256.Sum256(b.Bytes())
	return &partition{lru: c.lru, prefix: base64.RawURLEncoding.EncodeToString(sum[:16]) + "|"}
}

// partition is one trust setup's view of a SessionCache.
type partition struct {
	lru    utls.ClientSessionCache
	prefix string
}

func (p *partition) Get(key string) (*utls.ClientSessionState, bool) {
	return p.lru.Get(p.prefix + key)
}

func (p *partition) Put(key string, cs *utls.ClientSessionState) {
	p.lru.Put(p.prefix+key, cs)
}
