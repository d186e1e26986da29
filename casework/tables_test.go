package casework_test

import (
	"testing"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/filecheck"
)

// A name someone typed that Excel would read as a formula goes into the
// claims' and the files at risk's downloads as text.
func TestDownloadsKeepTypedNamesAsText(t *testing.T) {
	const formula = `=HYPERLINK("http://example.invalid","x")`
	claims := casework.MonthClaims{GPMI: []filecheck.ClaimLine{{NationalNumber: "91010105001", FamilyName: formula, GivenName: "+32", Code: "11", Qualifies: true}}}
	row := claims.Table("claims", casework.ClaimCodes).Rows[0]
	if row[1] != "'"+formula || row[2] != "'+32" || row[0] != "91010105001" || row[4] != "11" {
		t.Errorf("claims row %q: the typed names should start with an apostrophe, the rest stay", row)
	}
	risk := casework.FilesAtRisk{Files: []casework.FileAtRisk{{DossierNumber: 7, FamilyName: "Peeters", GivenName: "@An", Counsellor: "-Bram",
		Elements: []filecheck.Element{{Name: filecheck.GPMISigned, State: filecheck.Missing}}}}}
	row = risk.Table("risk", casework.FileRiskCodes).Rows[0]
	if row[0] != "7" || row[1] != "Peeters" || row[2] != "'@An" || row[3] != "'-Bram" {
		t.Errorf("files at risk row %q: the typed names should start with an apostrophe, the rest stay", row)
	}
}
