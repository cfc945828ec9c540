package conn

import (
	"net/netip"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// sockaddr converts an address and a port to a unix.Sockaddr.
func sockaddr(a netip.Addr, port int) (unix.Sockaddr, error) {
	if a.Is4() {
		return &unix.SockaddrInet4{Port: port, Addr: a.As4()}, nil
	}
	sa := &unix.SockaddrInet6{Port: port, Addr: a.As16()}
	if z := a.Zone(); z != "" {
		id, err := zoneIndex(z)
		if err != nil {
			return nil, err
		}
		sa.ZoneId = id
	}
	return sa, nil
}

// zoneIndex turns an IPv6 zone (an interface index or name) into an
// interface index, reading the name from /sys.
func zoneIndex(zone string) (uint32, error) {
	if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
		return uint32(n), nil
	}
	if strings.ContainsAny(zone, "/\x00") || zone == "." || zone == ".." {
		return 0, ErrInvalidParameter
	}
	b, err := os.ReadFile("/sys/class/net/" + zone + "/ifindex")
	if err != nil {
		return 0, wrap(ErrInvalidParameter, err)
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 32)
	if err != nil {
		return 0, wrap(ErrInvalidParameter, err)
	}
	return uint32(n), nil
}

// addrPort converts a unix.Sockaddr back to an address and a port.
func addrPort(sa unix.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *unix.SockaddrInet6:
		a := netip.AddrFrom16(sa.Addr).Unmap()
		if sa.ZoneId != 0 && a.Is6() {
			a = a.WithZone(strconv.FormatUint(uint64(sa.ZoneId), 10))
		}
		return netip.AddrPortFrom(a, uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// validHost reports whether host can be a name to resolve: not empty, at
// most 253 bytes, and free of spaces, control bytes and characters that
// have no place in a host name or an address literal.
func validHost(host string) bool {
	if host == "" || len(host) > 253 {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("/\\?#@[]", c) >= 0 {
			return false
		}
	}
	return true
}
