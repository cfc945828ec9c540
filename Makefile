# h1 — build, test, benchmark and fuzz targets.
#
# Every target installs what it needs (Go tools at pinned versions into
# ./.bin, Debian packages through apt-get) and does nothing when it is
# already there.

GO        ?= go
BIN       := $(CURDIR)/.bin
STATICCHECK_VERSION := v0.8.2
BENCHSTAT_VERSION   := v0.0.0-20260908200009-22c9c6c9d4da
FUZZTIME  ?= 30s
TESTFUZZTIME ?= 3s
BENCHCOUNT ?= 6

export PATH := $(BIN):$(PATH)

.PHONY: all build test test-go test-fuzz vet lint bench fuzz deps debs tools clean bench-load

all: build

build:
	$(GO) build ./...

$(BIN)/staticcheck:
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(BIN)/benchstat:
	GOBIN=$(BIN) $(GO) install golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VERSION)

tools: $(BIN)/staticcheck $(BIN)/benchstat

# deps installs the third-party peers the tests run against, once: nginx
# (HTTP and TLS server), openssl (s_server), tinyproxy (forward proxy),
# chromium (a headless browser that loads the reports of h1 load), and for
# h1 probe's tests lighttpd, Apache httpd, HAProxy, Python and Node.js.
deps:
	@$(MAKE) --no-print-directory debs DEBS_WANTED="nginx:/usr/sbin/nginx openssl:/usr/bin/openssl tinyproxy:/usr/bin/tinyproxy chromium:/usr/bin/chromium lighttpd:/usr/sbin/lighttpd apache2:/usr/sbin/apache2 haproxy:/usr/sbin/haproxy python3:/usr/bin/python3 nodejs:/usr/bin/node"

# debs installs each package:binary pair of DEBS_WANTED whose binary is
# missing. A policy-rc.d that refuses keeps the packages from starting
# their services (the tests start their own, on free ports).
debs:
	@missing=""; \
	for pair in $(DEBS_WANTED); do \
		pkg=$${pair%%:*}; bin=$${pair#*:}; \
		[ -x "$$bin" ] || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO sh -c 'set -e; \
			if [ ! -e /usr/sbin/policy-rc.d ]; then \
				printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; \
				trap "rm -f /usr/sbin/policy-rc.d" EXIT; \
			fi; \
			apt-get update -qq; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends '"$$missing"' >/dev/null'; \
	fi

vet:
	$(GO) vet ./...

lint: $(BIN)/staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(BIN)/staticcheck ./...

# test: vet, every test under the race detector (the parser also without its
# assembly, -tags purego), then each fuzz target for a
# few seconds so the targets keep compiling and their corpora keep passing.
test: deps lint test-go test-fuzz

test-go:
	$(GO) test -race -count=1 -timeout 600s ./...
	$(GO) test -count=1 -tags purego ./parser/ ./fuzz/

test-fuzz:
	@set -e; for pkg in $$($(GO) list ./... ); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$t ($(TESTFUZZTIME))"; \
			out=$$($(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(TESTFUZZTIME) $$pkg 2>&1) || { echo "$$out" | tail -40; exit 1; }; \
		done; \
	done

# fuzz runs every fuzz target in turn for FUZZTIME each.
fuzz:
	@set -e; for pkg in $$($(GO) list ./... ); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

# bench runs the Go benchmarks BENCHCOUNT times and summarises them.
bench: $(BIN)/benchstat
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./parser/ ./bench/... | tee bench.txt
	$(BIN)/benchstat bench.txt

clean:
	rm -rf $(BIN) bench.txt

# bench-load compares `h1 load` with wrk and hey against one nginx on
# loopback (bench/load/run.sh): wrk and h1 load alternately, three rounds
# each, then hey once, and prints requests/s side by side with ratios.
# Then bench/load/cpu.sh puts nginx and the generator on cores of their
# own and prints, for 32 and 256 connections, each generator's CPU time
# (user + sys) per request that nginx counted, and requests/s, beside
# wrk's.
bench-load:
	@$(MAKE) --no-print-directory debs DEBS_WANTED="nginx:/usr/sbin/nginx wrk:/usr/bin/wrk hey:/usr/bin/hey curl:/usr/bin/curl time:/usr/bin/time"
	GO="$(GO)" sh bench/load/run.sh
	GO="$(GO)" sh bench/load/cpu.sh
