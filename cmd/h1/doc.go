// Command h1 is the command-line face of the h1 HTTP/1.1 engine.
//
//	h1 get [flags] URL...            fetch like curl: exact heads (-v), timings, TLS, curl's exit codes
//	h1 demo                          walk through the engine on loopback servers it starts
//	h1 parse [--method M]            parse one raw response from stdin, print a JSON verdict
//	h1 encode                        encode one request from JSON on stdin, print the wire bytes
//	h1 bench [--json]                benchmark the engine beside net/http and fasthttp
//	h1 load -c N -D D [-p P] [-R R]  generate load on kept-alive connections (-d is the body)
//	h1 probe [--json] URL            send raw compliance, smuggling and robustness cases
//	h1 probe --compare URL URL...    the same cases (and --mutate N variants) to several servers
//
// parse and encode speak the JSON contracts that fuzzing and conformance
// harnesses rely on: strings carry bytes one-for-one as code points
// U+0000–U+00FF, and a refusal is {"ok":false,...} with exit status 1.
//
// Exit status: 0 on success and 1 on a usage error or a refused input;
// get uses curl's codes (6 resolve, 7 connect, 22 --fail, 28 timeout, 35
// TLS, 56 receive) and load exits 7 when it cannot connect at all; probe
// exits 3 when a MUST case failed (or, with --compare, the servers
// diverged) and 7 when no case reached the target.
package main
