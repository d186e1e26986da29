package casework

import (
	"strconv"
	"strings"
)

// normaliseNationalNumber strips the usual separators (85.07.30-033.28)
// and checks the Belgian national register number: 11 digits whose last
// two are 97 minus the first nine modulo 97, with a 2 in front of the nine
// for people born from 2000 on.
func normaliseNationalNumber(s string) (string, bool) {
	n := strings.NewReplacer(".", "", "-", "", " ", "").Replace(s)
	if len(n) != 11 {
		return "", false
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	base, _ := strconv.ParseInt(n[:9], 10, 64)
	check, _ := strconv.ParseInt(n[9:], 10, 64)
	if 97-base%97 == check || 97-(2000000000+base)%97 == check {
		return n, true
	}
	return "", false
}
