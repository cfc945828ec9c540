package tlsx

import (
	utls "github.com/refraction-networking/utls"
)

// chromeSpec returns a fresh ClientHelloSpec shaped like uTLS's current
// Chrome (its extension order is shuffled the way Chrome does) with every
// TLS 1.3 part removed. Extensions are kept by an allow-list, so a part a
// later Chrome adds is dropped until it is known to belong in TLS 1.2.
// The spec is built per connection: ApplyPreset shares the extensions'
// slices with the connection.
func chromeSpec() (*utls.ClientHelloSpec, error) {
	spec, err := utls.UTLSIdToSpec(utls.HelloChrome_Auto)
	if err != nil {
		return nil, err
	}
	// Without both bounds set, uTLS widens the range to TLS 1.0–1.2.
	spec.TLSVersMin = utls.VersionTLS12
	spec.TLSVersMax = utls.VersionTLS12

	suites := spec.CipherSuites[:0]
	for _, s := range spec.CipherSuites {
		if !isTLS13Suite(s) {
			suites = append(suites, s)
		}
	}
	spec.CipherSuites = suites

	exts := spec.Extensions[:0]
	for _, e := range spec.Extensions {
		switch e := e.(type) {
		case *utls.SupportedCurvesExtension:
			curves := make([]utls.CurveID, 0, len(e.Curves))
			for _, c := range e.Curves {
				switch c {
				case utls.GREASE_PLACEHOLDER, utls.X25519, utls.CurveP256, utls.CurveP384, utls.CurveP521:
					curves = append(curves, c)
				}
			}
			e.Curves = curves
		case *utls.ALPNExtension:
			e.AlpnProtocols = []string{"http/1.1"}
		case *utls.UtlsGREASEExtension, *utls.SNIExtension, *utls.ExtendedMasterSecretExtension,
			*utls.RenegotiationInfoExtension, *utls.SupportedPointsExtension,
			*utls.SessionTicketExtension, *utls.StatusRequestExtension,
			*utls.SignatureAlgorithmsExtension, *utls.SCTExtension, *utls.UtlsPaddingExtension:
		default:
			continue
		}
		exts = append(exts, e)
	}
	spec.Extensions = exts
	return &spec, nil
}

// isTLS13Suite reports whether id is one of the TLS 1.3 cipher suites
// (0x1301–0x1305), which name no key exchange and mean nothing in TLS 1.2.
func isTLS13Suite(id uint16) bool {
	return id >= 0x1301 && id <= 0x1305
}
