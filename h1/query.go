package h1

// QueryField is one key of a query string with its values, in the order
// they are written. Values nil writes the key alone ("key"), as Godot does
// for a null value; otherwise every element writes "key=value", so one
// element is a plain pair and several repeat the key (an empty, non-nil
// Values writes nothing, like Godot's empty array).
type QueryField struct {
	Key    string
	Values []string
}

// QueryStringFromDict returns the fields as a query string, after Godot's
// HTTPClient.query_string_from_dict: pairs joined by "&", keys and values
// percent-encoded like Godot's String.uri_encode. Godot's example
//
//	[]QueryField{{"single", []string{"123"}}, {"not_valued", nil},
//		{"multiple", []string{"22", "33", "44"}}}
//
// gives "single=123&not_valued&multiple=22&multiple=33&multiple=44".
func QueryStringFromDict(fields []QueryField) string {
	return string(AppendQueryString(nil, fields))
}

// AppendQueryString appends the query string of fields (see
// QueryStringFromDict) to dst and returns the extended slice.
func AppendQueryString(dst []byte, fields []QueryField) []byte {
	first := true
	sep := func() {
		if !first {
			dst = append(dst, '&')
		}
		first = false
	}
	for _, f := range fields {
		if f.Values == nil {
			sep()
			dst = AppendURIEncode(dst, f.Key)
			continue
		}
		for _, v := range f.Values {
			sep()
			dst = AppendURIEncode(dst, f.Key)
			dst = append(dst, '=')
			dst = AppendURIEncode(dst, v)
		}
	}
	return dst
}

// AppendURIEncode appends s percent-encoded as Godot's String.uri_encode
// does: the unreserved characters of RFC 3986 §2.3 (ALPHA, DIGIT, "-",
// ".", "_", "~") stay as they are and every other byte of the UTF-8 text
// becomes "%XX" with upper-case hex digits (a space is "%20").
func AppendURIEncode(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	return dst
}

func unreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
