package casework

import (
	"strconv"
	"strings"
	"time"
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
	if _, ok := bornFrom2000(n); !ok {
		return "", false
	}
	return n, true
}

// bornFrom2000 tells which century the check digits of a well-formed
// number name, and whether they are right at all.
func bornFrom2000(n string) (from2000, ok bool) {
	base, _ := strconv.ParseInt(n[:9], 10, 64)
	check, _ := strconv.ParseInt(n[9:], 10, 64)
	switch check {
	case 97 - base%97:
		return false, true
	case 97 - (2000000000+base)%97:
		return true, true
	}
	return false, false
}

// nationalNumberAgrees tells whether a checked number's first six digits
// (YYMMDD) are the birth date. A bis number (no register entry) adds 20 or
// 40 to the month, and a month or day the register does not know is 00.
func nationalNumberAgrees(n string, birth time.Time) bool {
	from2000, _ := bornFrom2000(n)
	yy, _ := strconv.Atoi(n[0:2])
	mm, _ := strconv.Atoi(n[2:4])
	dd, _ := strconv.Atoi(n[4:6])
	if from2000 != (birth.Year() >= 2000) || yy != birth.Year()%100 {
		return false
	}
	// An unknown month of a bis number is 20 or 40.
	if mm >= 40 {
		mm -= 40
	} else if mm >= 20 {
		mm -= 20
	}
	return (mm == 0 || mm == int(birth.Month())) && (dd == 0 || dd == birth.Day())
}
