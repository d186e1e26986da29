package casework

import (
	"testing"
	"time"
)

func TestNationalNumberCheckDigits(t *testing.T) {
	for in, want := range map[string]string{
		"85073003328":     "85073003328",
		"85.07.30-033.28": "85073003328",
		"05031545625":     "05031545625", // born in 2005: a 2 in front of the nine digits
	} {
		if got, ok := normaliseNationalNumber(in); !ok || got != want {
			t.Errorf("%q: %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"85073003329", "8507300332", "850730033281", "8507300332a", ""} {
		if _, ok := normaliseNationalNumber(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestNationalNumberAgreesWithTheBirthDate(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, c := range []struct {
		number, birth string
		agrees        bool
	}{
		{"85073003328", "1985-07-30", true},
		{"85073003328", "1985-07-31", false}, // another day
		{"85073003328", "2085-07-30", false}, // the check digits say the 1900s
		{"05031545625", "2005-03-15", true},
		{"05031545625", "1905-03-15", false}, // the check digits say 2000 on
		{"85273003371", "1985-07-30", true},  // a bis number: month + 20
		{"85000000138", "1985-07-30", true},  // month and day unknown to the register
		{"85000000138", "1986-07-30", false},
		{"85200000181", "1985-07-30", true}, // a bis number whose month is unknown: 20
		{"85401500261", "1985-07-15", true}, // or 40
		{"85401500261", "1985-07-16", false},
		{"85133000303", "1985-01-30", false}, // no month 13
	} {
		n, ok := normaliseNationalNumber(c.number)
		if !ok {
			t.Fatalf("%s: check digits refused", c.number)
		}
		if got := nationalNumberAgrees(n, day(c.birth)); got != c.agrees {
			t.Errorf("%s born %s: agrees %v, want %v", c.number, c.birth, got, c.agrees)
		}
	}
}
