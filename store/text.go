package store

import (
	"unicode"
	"unicode/utf8"
)

// CleanText tells whether s can be stored as text: valid UTF-8 without
// control characters (PostgreSQL refuses a NUL byte outright; the others
// have no place in a name or a note) other than tab and line breaks.
func CleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}
