package testpeer

import (
	"io"
	"net/http"
	"testing"
)

// Every server starts and answers GET / with 200 "ok\n".
func TestServersAnswer(t *testing.T) {
	ng := NginxServer(t)
	for _, s := range []*Server{ng, Python(t), Node(t), Lighttpd(t), Apache(t), HAProxy(t, ng)} {
		resp, err := http.Get(s.URL)
		if err != nil {
			t.Errorf("%s: GET = %v", s.Name, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != "ok\n" {
			t.Errorf("%s: GET = %d %q; want 200 \"ok\\n\"", s.Name, resp.StatusCode, body)
		}
	}
}
