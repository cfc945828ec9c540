package main

import (
	"io"
	"log"
)

// quietLog drops a server's log lines: the demo's deliberate TLS failure
// would otherwise print one.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }
