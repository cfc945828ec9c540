package main

import (
	"encoding/json"
	"io"
	"unicode/utf8"
)

// latin1 maps each byte to the code point of the same value (ISO-8859-1),
// so any bytes survive a trip through a JSON string one-for-one.
type latin1 []byte

// MarshalJSON writes the bytes as a JSON string of U+0000–U+00FF.
func (b latin1) MarshalJSON() ([]byte, error) {
	rs := make([]byte, 0, len(b)+len(b)/4)
	for _, c := range b {
		rs = utf8.AppendRune(rs, rune(c))
	}
	return json.Marshal(string(rs))
}

// writeJSON prints v as one line of JSON.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
