package casework

import "testing"

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
