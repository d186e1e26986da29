package web

import "testing"

// Each return path either stays on the site as given or falls back to /.
func TestLocalPath(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"/", "/"},
		{"/caseload?phase=work&q=Test", "/caseload?phase=work&q=Test"},
		{"/dossiers/0b6c?page=2#timeline", "/dossiers/0b6c?page=2#timeline"},
		{"/%5Cx", "/%5Cx"},     // stays a path: browsers do not decode it into a backslash
		{"/%2F/x", "/%2F/x"},   // stays a path for the same reason
		{"/a/b//c", "/a/b//c"}, // a double slash past the first segment is a path
		{"", "/"},
		{"/\\x", "/"},
		{"/\\/x", "/"},
		{"//x", "/"},
		{"///x", "/"},
		{"https:x", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"\t//x", "/"},
		{"/\t/x", "/"},
		{"/\n/x", "/"},
		{"/x\x00", "/"},
		{"\x00/x", "/"},
		{" /x", "/"},
		{"/x\\y", "/"},
		{"/x\x7f", "/"},
		{"/\xff", "/"},
		{"evil.example", "/"},
		{"./x", "/"},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			if got := localPath(tc.raw); got != tc.want {
				t.Errorf("localPath(%q) = %q, want %q", tc.raw, got, tc.want)
			}
		})
	}
}
