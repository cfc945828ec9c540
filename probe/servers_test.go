package probe

import (
	"context"
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
)

// serverOpts are quick options for servers on loopback.
var serverOpts = Options{ReadTimeout: 2 * time.Second, Linger: 100 * time.Millisecond, ConnectTimeout: 2 * time.Second}

// runCase runs the catalogue's case id against target.
func runCase(t *testing.T, tg Target, id string) Result {
	t.Helper()
	for _, c := range DefaultCases() {
		if c.ID == id {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return Run(ctx, tg, "/", &c, serverOpts)
		}
	}
	t.Fatalf("no case %q", id)
	return Result{}
}

// Real servers answer a few telling cases the way they were seen to,
// with the versions that make deps installs (Debian 12: nginx 1.22,
// Apache 2.4, lighttpd 1.4.69, HAProxy 2.6, Node 20, Python 3.11).
func TestRealServers(t *testing.T) {
	type want struct{ id, sig string }
	for _, tc := range []struct {
		name  string
		start func(t *testing.T) *testpeer.Server
		want  []want
	}{
		{"nginx", func(t *testing.T) *testpeer.Server { return testpeer.NginxServer(t) }, []want{
			{"cl-te", "400 closed"},       // refuses both framings
			{"te-tab", "501 closed"},      // does not take HTAB as whitespace before chunked
			{"obs-fold", "400 closed"},    // refuses folding
			{"chunk-bare-lf", "200 open"}, // accepts bare LF in chunk lines
			{"pipelined-three", "200+200+200 open"},
			{"http09", "- parse-error:malformed-start-line"}, // answers HTTP/0.9 with a bare body
		}},
		{"apache", func(t *testing.T) *testpeer.Server { return testpeer.Apache(t) }, []want{
			{"cl-te", "200 closed"},   // uses chunked, then closes, as RFC 9112 §6.1 asks
			{"obs-fold", "200 open"},  // unfolds
			{"bare-lf", "400 closed"}, // refuses bare LF in the head
			{"te-duplicate", "200 open"},
		}},
		{"lighttpd", func(t *testing.T) *testpeer.Server { return testpeer.Lighttpd(t) }, []want{
			{"cl-te", "400 closed"},
			{"version-minor-higher", "505 closed"}, // HTTP/1.2 is refused
			{"leading-empty-line", "400 closed"},
		}},
		{"node", func(t *testing.T) *testpeer.Server { return testpeer.Node(t) }, []want{
			{"cl-te", "400 closed"},
			{"pipelined-close", "400 closed"}, // bytes after Connection: close fail the whole connection
			{"duplicate-host", "200 open"},    // two Host fields are accepted
			{"chunked-pipelined", "200+200 open"},
		}},
		{"python", func(t *testing.T) *testpeer.Server { return testpeer.Python(t) }, []want{
			{"missing-host", "200 open"},
			{"cl-te", "200+200 open"},                               // reads by Content-Length alone: it knows no chunked body
			{"te-xchunked", "200 parse-error:malformed-start-line"}, // the body is taken for a request
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tc.start(t)
			tg, err := ParseTarget(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				r := runCase(t, tg, w.id)
				if got := r.Signature(); got != w.sig {
					t.Errorf("%s: case %s = %q; want %q (%+v)", tc.name, w.id, got, w.sig, r.Outcome)
				}
			}
		})
	}
}

// Behind HAProxy, nginx sees what the proxy forwards: the proxy answers
// for it, and the differential run shows where the chain and nginx alone
// part.
func TestProxyChainDiffers(t *testing.T) {
	ng := testpeer.NginxServer(t)
	hp := testpeer.HAProxy(t, ng)
	direct, err := ParseTarget(ng.URL)
	if err != nil {
		t.Fatal(err)
	}
	chain, err := ParseTarget(hp.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id            string
		direct, proxy string
		differ        bool
	}{
		{"cl-te", "400 closed", "200 closed", true},      // HAProxy drops Content-Length and closes
		{"missing-host", "400 closed", "400 open", true}, // HAProxy answers 400 and keeps the connection
		// HAProxy unfolds the field and forwards no chunked framing: nginx
		// answers the body as a second request.
		{"te-folded", "400 closed", "200+400 closed", true},
		{"pipelined-three", "200+200+200 open", "200+200+200 open", false},
	} {
		rs := []Result{runCase(t, direct, tc.id), runCase(t, chain, tc.id)}
		if rs[0].Signature() != tc.direct || rs[1].Signature() != tc.proxy || Differ(rs) != tc.differ {
			t.Errorf("case %s: nginx %q, haproxy>nginx %q, differ %v; want %q, %q, %v",
				tc.id, rs[0].Signature(), rs[1].Signature(), Differ(rs), tc.direct, tc.proxy, tc.differ)
		}
	}
}
