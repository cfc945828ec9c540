package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `usage: h1 <command> [arguments]

commands:
  get       fetch URLs like curl, showing heads, timings and TLS (h1 get -h)
  demo      start loopback servers and walk through what the engine does
  parse     read one raw HTTP/1.1 response on stdin, print a JSON verdict
  encode    read a JSON request on stdin, print the exact wire bytes as JSON
  load      wrk-like load generator for http:// and https:// (h1 load -h for flags)
  bench     run the benchmark suite beside net/http and fasthttp, print ratios
  probe     send raw compliance, smuggling and robustness cases to a server
`

// Exit codes shared by the subcommands (curl's where curl has one).
const (
	exitOK    = 0
	exitUsage = 1
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "get":
		return runGet(args[1:], stdin, stdout, stderr)
	case "parse":
		return runParse(args[1:], stdin, stdout, stderr)
	case "encode":
		return runEncode(args[1:], stdin, stdout, stderr)
	case "demo":
		return runDemo(args[1:], stdout, stderr)
	case "load":
		return runLoad(args[1:], stdout, stderr)
	case "bench":
		return runBench(args[1:], stdout, stderr)
	case "probe":
		return runProbe(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "h1: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
