package filecheck

import (
	"testing"
	"time"

	"github.com/traject-ocmw/traject/policy"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func dayp(s string) *time.Time { d := day(s); return &d }

func element(t *testing.T, r Report, name string) Element {
	t.Helper()
	for _, e := range r.Elements {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no element %s in %+v", name, r.Elements)
	return Element{}
}

// signedFile is a dossier decided on 10 January 2026, its needs analysis
// on 1 February, signed on signedOn with the acknowledgement.
func signedFile(signedOn string, evals ...Evaluation) Facts {
	return Facts{
		ParticipantID: "p", Decision: day("2026-01-10"),
		NeedsAnalyses: []time.Time{day("2026-02-01")},
		Runs: []Run{{Started: day("2026-01-12"), Phases: []PhaseChange{{On: day("2026-02-01"), To: "work"}},
			Signed: dayp(signedOn), Acknowledged: true, Evaluations: evals}},
	}
}

func TestSignatureWithinTheMonthsOfTheDecision(t *testing.T) {
	p := policy.Default()
	p.GPMI.SignFromNotification = false
	for _, c := range []struct {
		signed string
		want   State
	}{
		{"2026-04-10", Met},  // 3 months after 10 January, the last day
		{"2026-04-11", Late}, // a day after
	} {
		e := element(t, Check(signedFile(c.signed), p, day("2026-05-01")), GPMISigned)
		if e.State != c.want || !e.Due.Equal(day("2026-04-10")) {
			t.Errorf("signed %s: %s due %v, want %s due 10 April", c.signed, e.State, e.Due, c.want)
		}
	}
	// From the notification, when the policy says so and it is recorded:
	// 25 April is a Saturday, so the day is the Monday after, as the
	// dossier's own deadline (the policy's calendar).
	p.GPMI.SignFromNotification = true
	for _, signed := range []string{"2026-04-20", "2026-04-27"} {
		f := signedFile(signed)
		f.Notified = day("2026-01-25")
		if e := element(t, Check(f, p, day("2026-05-01")), GPMISigned); e.State != Met || !e.Due.Equal(day("2026-04-27")) {
			t.Errorf("from the notification, signed %s: %s due %v, want met due Monday 27 April", signed, e.State, e.Due)
		}
	}
	// Unsigned: due before the day, late after it.
	f := signedFile("2026-04-20")
	f.Runs[0].Signed = nil
	if e := element(t, Check(f, p, day("2026-04-01")), GPMISigned); e.State != Due {
		t.Errorf("unsigned before its day: %s, want due", e.State)
	}
	if e := element(t, Check(f, p, day("2026-04-11")), GPMISigned); e.State != Late {
		t.Errorf("unsigned after its day: %s, want late", e.State)
	}
	// As of a day before the signature, the file had none.
	f = signedFile("2026-03-01")
	if e := element(t, Check(f, p, day("2026-02-15")), GPMISigned); e.State != Due || e.On != nil {
		t.Errorf("as of before the signature: %s on %v, want due", e.State, e.On)
	}
	if e := element(t, Check(f, p, day("2026-02-15")), Acknowledgement); e.State != NotApplicable {
		t.Errorf("acknowledgement before the signature: %s, want not applicable", e.State)
	}
}

func TestNeedsAnalysisBeforeTheContract(t *testing.T) {
	p := policy.Default()
	f := signedFile("2026-03-01")
	if e := element(t, Check(f, p, day("2026-05-01")), NeedsAnalysis); e.State != Met || !e.On.Equal(day("2026-02-01")) {
		t.Errorf("analysis before: %s on %v", e.State, e.On)
	}
	f.NeedsAnalyses = []time.Time{day("2026-03-05")}
	if e := element(t, Check(f, p, day("2026-05-01")), NeedsAnalysis); e.State != Late {
		t.Errorf("analysis after the signature: %s, want late", e.State)
	}
	f.NeedsAnalyses = nil
	if e := element(t, Check(f, p, day("2026-05-01")), NeedsAnalysis); e.State != Late {
		t.Errorf("no analysis, signed: %s, want late", e.State)
	}
	f.Runs[0].Acknowledged = false
	if e := element(t, Check(f, p, day("2026-05-01")), Acknowledgement); e.State != Missing {
		t.Errorf("signed without the acknowledgement: %s, want missing", e.State)
	}
}

func TestEvaluationsInEveryTwelveMonths(t *testing.T) {
	p := policy.Default() // 3 a year, 2 face to face
	ev := func(on string, f2f, report bool) Evaluation {
		return Evaluation{HeldOn: day(on), FaceToFace: f2f, Report: report}
	}
	// Two evaluations in the first year: late once the year ends.
	f := signedFile("2026-03-01", ev("2026-07-01", true, true), ev("2026-11-01", true, true))
	r := Check(f, p, day("2027-01-15"))
	if e := element(t, r, Evaluations); e.State != Due || *e.Count != 2 || !e.Due.Equal(day("2027-02-28")) {
		t.Errorf("2 of 3 in the running year: %s %d due %v, want due 2 by 28 February", e.State, *e.Count, e.Due)
	}
	if r.AtRisk {
		t.Error("a year ending in 44 days is not at risk yet")
	}
	if r := Check(f, p, day("2027-02-01")); !r.AtRisk {
		t.Error("a year ending within 30 days short of an evaluation is at risk")
	}
	r = Check(f, p, day("2027-03-01"))
	if e := element(t, r, Evaluations); e.State != Late || *e.Count != 2 {
		t.Errorf("2 of 3 in a year ended: %s %v, want late", e.State, e.Count)
	}
	// Three, one face to face: evaluations met, face to face short.
	f = signedFile("2026-03-01", ev("2026-06-01", false, true), ev("2026-10-01", true, true), ev("2027-02-01", false, false))
	r = Check(f, p, day("2027-03-02"))
	if e := element(t, r, Evaluations); e.State != Due || *e.Count != 0 {
		t.Errorf("first year kept, second just begun: %s %v", e.State, e.Count)
	}
	if e := element(t, r, FaceToFace); e.State != Late || *e.Count != 1 || *e.Needed != 2 {
		t.Errorf("1 face to face of 2: %s %v", e.State, e.Count)
	}
	// The two counts judge different years, and each says which.
	if e := element(t, r, Evaluations); e.Since == nil || !e.Since.Equal(day("2027-03-01")) || !e.Due.Equal(day("2028-02-29")) {
		t.Errorf("the evaluations' year: from %v to %v, want 1 March 2027 to 29 February 2028", e.Since, e.Due)
	}
	if e := element(t, r, FaceToFace); e.Since == nil || !e.Since.Equal(day("2026-03-01")) || !e.Due.Equal(day("2027-02-28")) {
		t.Errorf("the face-to-face year: from %v to %v, want 1 March 2026 to 28 February 2027", e.Since, e.Due)
	}
	if e := element(t, r, Reports); e.State != Missing || *e.Count != 2 || *e.Needed != 3 {
		t.Errorf("a report missing: %s %v of %v", e.State, e.Count, e.Needed)
	}
	// A leap February: signed 29 February 2028, its year ends 28 February 2029.
	f = signedFile("2028-02-29", ev("2028-06-01", true, true))
	f.Decision, f.Runs[0].Started = day("2028-01-10"), day("2028-01-12")
	if e := element(t, Check(f, p, day("2029-02-28")), Evaluations); e.State != Due || !e.Due.Equal(day("2029-02-28")) {
		t.Errorf("leap year: %s due %v, want due 28 February 2029", e.State, e.Due)
	}
	if e := element(t, Check(f, p, day("2029-03-01")), Evaluations); e.State != Late {
		t.Errorf("leap year after its end: %s, want late", e.State)
	}
}

func TestExemptionReasonAndReview(t *testing.T) {
	p := policy.Default()
	f := Facts{ParticipantID: "p", Decision: day("2026-01-10"),
		Runs:       []Run{{Started: day("2026-01-12"), Phases: []PhaseChange{{On: day("2026-02-01"), To: "exempt"}}}},
		Exemptions: []Exemption{{Written: day("2026-02-01"), Ground: "health", ReviewOn: day("2026-08-01")}},
	}
	r := Check(f, p, day("2026-09-01"))
	if e := element(t, r, ExemptionReason); e.State != Missing {
		t.Errorf("no written reason: %s, want missing", e.State)
	}
	if e := element(t, r, ExemptionReview); e.State != Late || !e.Due.Equal(day("2026-08-01")) {
		t.Errorf("review not kept: %s due %v, want late", e.State, e.Due)
	}
	if e := element(t, r, GPMISigned); e.State != NotApplicable {
		t.Errorf("exempt, unsigned: %s, want not applicable", e.State)
	}
	f.Exemptions[0].Reason = true
	f.Runs[0].Phases = append(f.Runs[0].Phases, PhaseChange{On: day("2026-07-20"), To: "work"})
	r = Check(f, p, day("2026-09-01"))
	if e := element(t, r, ExemptionReason); e.State != Met {
		t.Errorf("written reason: %s", e.State)
	}
	if e := element(t, r, ExemptionReview); e.State != Met || !e.On.Equal(day("2026-07-20")) {
		t.Errorf("left the exemption before the review: %s on %v", e.State, e.On)
	}
}

func TestClaimCodesAndExclusions(t *testing.T) {
	p := policy.Default()
	f := signedFile("2026-03-15")
	f.NationalNumber = "85073003328"
	if l := f.Claim(day("2026-02-28"), p); l.Qualifies || l.Reason != NoGPMI {
		t.Errorf("February, before the signature: %+v", l)
	}
	if l := f.Claim(day("2026-03-31"), p); !l.Qualifies || l.Code != "11" {
		t.Errorf("March, signed on the 15th: %+v", l)
	}
	// The first period runs to 15 March 2027: March 2027's last day is past it.
	if l := f.Claim(day("2027-02-28"), p); l.Code != "11" {
		t.Errorf("February 2027: %+v", l)
	}
	if l := f.Claim(day("2027-03-31"), p); l.Qualifies || l.Reason != NoExtension {
		t.Errorf("past the first period: %+v, want no extension", l)
	}
	// An Article 60 contract from 1 June: not on the leefloon.
	f.Runs[0].Phases = append(f.Runs[0].Phases, PhaseChange{On: day("2026-06-01"), To: "article60"})
	if l := f.Claim(day("2026-06-30"), p); l.Reason != OnArticle60 {
		t.Errorf("on Article 60: %+v", l)
	}
}

func TestBreakAndReentry(t *testing.T) {
	p := policy.Default()
	closedThenBack := func(back string) Facts {
		f := signedFile("2026-02-15")
		f.Runs[0].Phases = append(f.Runs[0].Phases, PhaseChange{On: day("2026-05-10"), To: "closed"})
		f.Runs = append(f.Runs, Run{Started: day(back)})
		return f
	}
	// Back after 4 months: no claim until a new GPMI is signed.
	f := closedThenBack("2026-09-20")
	if l := f.Claim(day("2026-09-30"), p); l.Reason != BreakWithoutNewGPMI {
		t.Errorf("after a 4-month break: %+v", l)
	}
	if l := f.Claim(day("2026-05-31"), p); l.Reason != TrajectoryClosed || !f.Concerned(day("2026-05-01"), day("2026-05-31")) {
		t.Errorf("the month it closed: %+v", l)
	}
	if f.Concerned(day("2026-07-01"), day("2026-07-31")) {
		t.Error("a month wholly closed is not on the list")
	}
	f.Runs[1].Signed = dayp("2026-10-05")
	if l := f.Claim(day("2026-10-31"), p); !l.Qualifies || !l.SignedOn.Equal(day("2026-10-05")) {
		t.Errorf("the new GPMI signed: %+v", l)
	}
	// Back after 2 months: the earlier GPMI goes on.
	f = closedThenBack("2026-07-05")
	if l := f.Claim(day("2026-07-31"), p); !l.Qualifies || !l.SignedOn.Equal(day("2026-02-15")) {
		t.Errorf("after a 2-month break: %+v", l)
	}
}

func TestArticle60Months(t *testing.T) {
	p := policy.Default()
	p.Claims.Article60.MaxMonths = 2
	contract := func(end string) Facts {
		return Facts{ParticipantID: "p", Runs: []Run{{Started: day("2026-01-05"), Phases: []PhaseChange{
			{On: day("2026-01-05"), To: "article60"}, {On: day(end), To: "post_article60"}}}}}
	}
	// The follow-up starts the day after the contract's last day (the
	// store makes it so): a contract ending on 30 May leaves May unpaid,
	// one ending on 31 May pays it.
	f := contract("2026-05-31")
	if _, ok := f.Article60Month(day("2026-05-31"), p, "flanders"); ok {
		t.Error("ended on the 30th: May is not an Article 60 month")
	}
	f = contract("2026-06-01")
	if _, ok := f.Article60Month(day("2026-05-31"), p, "flanders"); !ok {
		t.Error("ended on the 31st: May is an Article 60 month")
	}
	l, ok := f.Article60Month(day("2026-04-30"), p, "flanders")
	if !ok || l.Month != 4 || l.Qualifies || l.Reason != Article60PastMaximum {
		t.Errorf("April, fourth month of two funded: %+v %v", l, ok)
	}
	l, _ = f.Article60Month(day("2026-02-28"), p, "flanders")
	if !l.Qualifies || l.Month != 2 || l.MonthlyFeeCents != 25000 || l.CompensationCents != 19500 {
		t.Errorf("February, second month: %+v", l)
	}
	if l, _ := f.Article60Month(day("2026-02-28"), p, "brussels"); l.Qualifies || l.Reason != Article60NotFunded {
		t.Errorf("Brussels: %+v", l)
	}
}

func TestExtensionCode(t *testing.T) {
	p := policy.Default()
	// Signed on 15 March 2026: the first period ends on 15 March 2027.
	f := signedFile("2026-03-15")
	f.Extensions = []ExtensionFact{{On: day("2027-03-01"), Motivated: true}}
	if l := f.Claim(day("2027-03-31"), p); !l.Qualifies || l.Code != "17" {
		t.Errorf("extended with a motivation: %+v, want 17", l)
	}
	if l := f.Claim(day("2027-02-28"), p); l.Code != "11" {
		t.Errorf("within the first period: %+v, want 11", l)
	}
	if e := element(t, Check(f, p, day("2027-04-01")), Extension); e.State != Met || !e.On.Equal(day("2027-03-01")) {
		t.Errorf("extension element: %+v", e)
	}
	// Reproducible: as of a day before the extension was made, none.
	if e := element(t, Check(f, p, day("2027-03-20")), Extension); e.State != Met {
		t.Errorf("extension element on 20 March: %+v", e)
	}
	f.Extensions[0].Motivated = false
	if l := f.Claim(day("2027-03-31"), p); l.Qualifies || l.Reason != ExtensionWithoutMotivation {
		t.Errorf("without motivation: %+v", l)
	}
	if e := element(t, Check(f, p, day("2027-04-01")), Extension); e.State != Missing || !e.Due.Equal(day("2027-03-15")) {
		t.Errorf("extension element without motivation: %+v", e)
	}
	f.Extensions = nil
	if e := element(t, Check(f, p, day("2027-04-01")), Extension); e.State != Missing {
		t.Errorf("extension element, none: %+v", e)
	}
	// Closed on 1 March 2027, back on 20 March without a new GPMI: the
	// earlier GPMI goes on, but it was not in force on 15 March.
	f = signedFile("2026-03-15")
	f.Runs[0].Phases = append(f.Runs[0].Phases, PhaseChange{On: day("2027-03-01"), To: "closed"})
	f.Runs = append(f.Runs, Run{Started: day("2027-03-20")})
	f.Extensions = []ExtensionFact{{On: day("2027-03-25"), Motivated: true}}
	if l := f.Claim(day("2027-03-31"), p); l.Qualifies || l.Reason != NotInForceEndFirstPeriod {
		t.Errorf("not in force at the end of the first period: %+v", l)
	}
	// An extension of an earlier GPMI does not extend a new one.
	f = signedFile("2026-03-15")
	f.Runs[0].Phases = append(f.Runs[0].Phases, PhaseChange{On: day("2026-05-01"), To: "closed"})
	f.Runs = append(f.Runs, Run{Started: day("2026-10-01"), Signed: dayp("2026-10-10")})
	f.Extensions = []ExtensionFact{{On: day("2026-04-01"), Motivated: true}}
	if l := f.Claim(day("2027-10-31"), p); l.Reason != NoExtension {
		t.Errorf("re-entered, the earlier GPMI's extension: %+v", l)
	}
}

func TestLeapFebruary(t *testing.T) {
	p := policy.Default()
	// Signed on 29 February 2028: the first period ends on 28 February
	// 2029 (no 29th), so February 2029 is still code 11 and March needs an
	// extension.
	f := signedFile("2028-02-29")
	if l := f.Claim(day("2028-02-29"), p); !l.Qualifies || l.Code != "11" {
		t.Errorf("leap February, signed its last day: %+v", l)
	}
	if l := f.Claim(day("2029-02-28"), p); l.Code != "11" {
		t.Errorf("February 2029: %+v", l)
	}
	if l := f.Claim(day("2029-03-31"), p); l.Reason != NoExtension {
		t.Errorf("March 2029: %+v", l)
	}
	if got := MonthEnd(day("2028-02-10")); !got.Equal(day("2028-02-29")) {
		t.Errorf("leap month end %v", got)
	}
}
