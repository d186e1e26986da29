package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestCSVAndXLSXHoldTheSameCells(t *testing.T) {
	tb := Table{Sheet: "Dossiers à risque", Header: []string{"Naam", "Bedrag"},
		Rows: [][]string{{"Françoise; Dupont", "250,00 €"}, {"Jan \"Sr\" Peeters", ""}}}
	var csvOut bytes.Buffer
	if err := tb.WriteCSV(&csvOut); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffNaam;Bedrag\n\"Françoise; Dupont\";250,00 €\n\"Jan \"\"Sr\"\" Peeters\";\n"
	if csvOut.String() != want {
		t.Errorf("csv:\n%q\nwant\n%q", csvOut.String(), want)
	}
	var xlsx bytes.Buffer
	if err := tb.WriteXLSX(&xlsx); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Dossiers à risque")
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(rows))
	for i, r := range rows {
		got[i] = strings.Join(r, "|")
	}
	if strings.Join(got, "\n") != "Naam|Bedrag\nFrançoise; Dupont|250,00 €\nJan \"Sr\" Peeters" {
		t.Errorf("xlsx rows: %q", got)
	}
}

func TestInertKeepsFormulasAsText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+32 2 000", "'+32 2 000"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"Ada", "Ada"},
		{"/admin/audit", "/admin/audit"},
		{"", ""},
	} {
		if got := Inert(c.in); got != c.want {
			t.Errorf("Inert(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
