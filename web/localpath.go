package web

import (
	"net/url"
	"strings"
)

// localPath answers raw when a browser sent to it stays on this site, and
// "/" otherwise. Every redirect to a path taken from a request goes
// through it. Browsers read a backslash as a slash and drop tabs and line
// breaks anywhere in a URL, so "/\evil.example" and "/\t/evil.example"
// both mean //evil.example to them: a local path starts with one slash,
// holds no backslash and no control character, and parses without a
// scheme, a host or user information.
func localPath(raw string) string {
	if len(raw) == 0 || raw[0] != '/' || (len(raw) > 1 && (raw[1] == '/' || raw[1] == '\\')) {
		return "/"
	}
	for _, c := range raw {
		if c < 0x20 || c == 0x7f || c == '\\' || c == '\uFFFD' {
			return "/"
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return raw
}
