// Package policy holds a centre's deadlines: every timer the trajectory sets
// comes from here, with the legal defaults of DOMAIN.md, so that a centre can
// change a deadline and a test can shrink it to seconds. Nothing in this
// package does I/O; the workflow receives a Policy from an activity and
// records the version it used.
package policy

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/traject-ocmw/traject/domain"
)

// Policy is one version of a centre's deadlines.
type Policy struct {
	// Version is 0 for the built-in defaults, then 1, 2, ... per centre.
	Version  int    `json:"version"`
	TimeZone string `json:"time_zone"`

	Calendar      Calendar      `json:"calendar"`
	GPMI          GPMI          `json:"gpmi"`
	Article60     Article60     `json:"article60"`
	PostArticle60 PostArticle60 `json:"post_article60"`
	Sanction      Sanction      `json:"sanction"`
	Notifications Notifications `json:"notifications"`
	Retention     Retention     `json:"retention"`
	Notes         Notes         `json:"notes"`
	Inspection    Inspection    `json:"inspection"`
	Claims        Claims        `json:"claims"`
	Literacy      Literacy      `json:"literacy"`
	// CivicIntegration is the regional civic integration programme.
	CivicIntegration CivicIntegration `json:"civic_integration"`
}

// CivicIntegration is the civic integration programme (Flanders:
// inburgering) as dossiers record it: whether the person is obliged to
// follow it or follows it voluntarily, the day of the referral and where
// they stand. It is recorded only in the regions listed: the legal default
// is Flanders alone, where the decree on civic integration applies; a
// centre elsewhere with its own programme adds its region.
type CivicIntegration struct {
	// Regions are those of the centres whose dossiers record it
	// (flanders, brussels, wallonia).
	Regions []string `json:"regions"`
}

// Regions are Belgium's regions, as a centre names its own.
var Regions = []string{"flanders", "brussels", "wallonia"}

// AppliesIn tells whether dossiers of a centre in region record it.
func (c CivicIntegration) AppliesIn(region string) bool { return slices.Contains(c.Regions, region) }

// Literacy is how the centre's literacy cell works: the levels its level
// tests give, in order, and how many waiting lists one person may be on
// at once (courses lack places; the centre and its partners avoid one
// person holding several).
type Literacy struct {
	// Levels are codes of LiteracyLevels, each shown in words.
	Levels          []string `json:"levels"`
	MaxWaitingLists int      `json:"max_waiting_lists"`
}

// LiteracyLevels are the levels a centre's tests may give: the literacy
// (Alfa) levels, then the European framework's for a foreign language.
var LiteracyLevels = []string{"alfa_a", "alfa_b", "alfa_c", "a1", "a2", "b1", "b2", "c1"}

// Inspection is what the file check expects of a GPMI file, beyond the
// GPMI's own deadlines.
type Inspection struct {
	// EvaluationsPerYear: at least this many evaluations in every twelve
	// months since signature (FaceToFacePerYear of them face to face).
	EvaluationsPerYear int `json:"evaluations_per_year"`
	// AtRiskHorizon: the files at risk include what becomes late within it.
	AtRiskHorizon Period `json:"at_risk_horizon"`
}

// Claims are the federal GPMI special subsidy's and the regional Article
// 60 funding's rules, as the claims list applies them. Every threshold a
// month's claim lines depend on lives here, so that a past month is
// judged with the rules in force then (see ForMonth).
type Claims struct {
	// GeneralCode and ExtensionCode are the GPMI codes of the federal claim.
	GeneralCode   string `json:"general_code"`
	ExtensionCode string `json:"extension_code"`
	// FirstPeriod: months after it are claimed with ExtensionCode, which
	// needs an extension with its written motivation.
	FirstPeriod Period `json:"first_period"`
	// BreakNeedsNewGPMI: after a break longer than this, months qualify
	// again only once a new GPMI is signed.
	BreakNeedsNewGPMI Period `json:"break_needs_new_gpmi"`
	// Article60 is the region's funding of Article 60 months; empty
	// Regions means not configured.
	Article60 Article60Funding `json:"article60"`
}

// Article60Funding pays a fixed amount for each month in which an Article
// 60 contract with guidance runs on the month's last day.
type Article60Funding struct {
	// Regions are those of the centres it applies to (flanders, brussels,
	// wallonia).
	Regions []string `json:"regions"`
	// Scheme names it on the claim (Flanders: tijdelijke werkervaring).
	Scheme string `json:"scheme"`
	// MonthlyFeeCents and CompensationCents are paid per month, in cents.
	MonthlyFeeCents   int `json:"monthly_fee_cents"`
	CompensationCents int `json:"compensation_cents"`
	// MaxMonths counts per person.
	MaxMonths int `json:"max_months"`
}

// ForMonth is the policy a month's claims are judged with: p, today's
// version (its time zone reads the event log), with the claim rules of
// then, the version in force at the end of the month: the GPMI codes, the
// first period and the extension it needs, the break that needs a new
// GPMI, and the Article 60 funding. This is the one place that says which
// thresholds a past month keeps, so that a month already claimed gives
// the same lines whatever the centre changed since. The file check and
// the files at risk judge by today's policy, not by this.
func (p Policy) ForMonth(then Policy) Policy {
	p.Claims = then.Claims
	return p
}

// Funds tells whether the Article 60 funding applies in a region.
func (f Article60Funding) Funds(region string) bool {
	for _, r := range f.Regions {
		if r == region {
			return true
		}
	}
	return false
}

// Notes bounds how a case note changes once written.
type Notes struct {
	// CorrectWithin: its author may correct a note this long after
	// writing it; later, a correction is added beside it, both kept.
	CorrectWithin Period `json:"correct_within"`
}

// Retention says how long a closed dossier keeps its personal data.
type Retention struct {
	// ClosedDossiers: after this long in the closed phase, a dossier is
	// reduced to an anonymous statistics row. Set it to the centre's own
	// archive rules; the default is ten years.
	ClosedDossiers Period `json:"closed_dossiers"`
}

// Notifications bounds how long a message is retried.
type Notifications struct {
	// RetryFor: while the mail relay is unreachable, a message is retried
	// with backoff this long; then it is marked failed and the coordinator
	// is alerted.
	RetryFor Period `json:"retry_for"`
	// DigestAt is the local time (HH:MM) of the daily digest to each
	// counsellor and of the weekly digest to each coordinator.
	DigestAt string `json:"digest_at"`
	// WeeklyDigestOn is the weekday of the coordinators' digest.
	WeeklyDigestOn string `json:"weekly_digest_on"`
	// DigestHorizon: the daily digest lists the deadlines due within it.
	DigestHorizon Period `json:"digest_horizon"`
}

// DigestTime returns the digest's hour and minute; Validate checked it.
func (n Notifications) DigestTime() (hour, minute int) {
	t, err := time.Parse("15:04", n.DigestAt)
	if err != nil {
		return 7, 30
	}
	return t.Hour(), t.Minute()
}

// Weekday returns the weekly digest's day; Validate checked it.
func (n Notifications) Weekday() time.Weekday {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), n.WeeklyDigestOn) {
			return d
		}
	}
	return time.Monday
}

// Calendar says how day-counted legal deadlines meet weekends and holidays.
type Calendar struct {
	// MoveToWorkingDay moves a deadline that falls on a Saturday, Sunday or
	// public holiday to the next working day.
	MoveToWorkingDay bool `json:"move_to_working_day"`
	// ExtraHolidays are the centre's own days off (regional holidays, bridge
	// days), as YYYY-MM-DD, on top of the national public holidays.
	ExtraHolidays []string `json:"extra_holidays,omitempty"`
}

// GPMI: the individual integration contract (GPMI / PIIS).
type GPMI struct {
	// SignWithin: the contract is concluded within 3 months of the
	// notification of the leefloon decision.
	SignWithin    Period   `json:"sign_within"`
	SignReminders []Period `json:"sign_reminders"`
	// SignFromNotification: the months run from the day the decision was
	// notified, when the intake records it, instead of the decision.
	SignFromNotification bool `json:"sign_from_notification"`
	// RequireNeedsAnalysis: a GPMI is signed once a needs analysis
	// (sociaal-professionele balans) is recorded.
	RequireNeedsAnalysis bool `json:"require_needs_analysis"`
	// ExemptionReviewAfter: an exemption (health or equity) is reviewed
	// this long after it is decided, unless its decision names the day;
	// ExemptionReviewReminders go to the counsellor before that day.
	ExemptionReviewAfter     Period   `json:"exemption_review_after"`
	ExemptionReviewReminders []Period `json:"exemption_review_reminders"`
	// EvaluationEvery: at least three evaluations a year (every 4 months).
	EvaluationEvery     Period   `json:"evaluation_every"`
	FaceToFacePerYear   int      `json:"face_to_face_per_year"`
	EvaluationReminders []Period `json:"evaluation_reminders"`
}

// Article60 is employment under Article 60§7.
type Article60 struct {
	// WorkingDays is the rule for the contract length, by start date.
	WorkingDays            []WorkingDaysRule `json:"working_days"`
	AttendanceChecksBefore []Period          `json:"attendance_checks_before"`
	ReferralBefore         Period            `json:"referral_before"`
	EndReminders           []Period          `json:"end_reminders"`
	TrainingReminders      []Period          `json:"training_reminders"`
	// HostCheckWithin is how long the host has to record a check from its
	// date (one of AttendanceChecksBefore); HostCheckReminders go to the
	// host before that runs out, after a notice on the check's date.
	HostCheckWithin    Period   `json:"host_check_within"`
	HostCheckReminders []Period `json:"host_check_reminders"`
	// MaxShareOfSiteStaffPct is the ceiling on Article 60 workers in a host
	// site's whole staff, in percent; the placement statistics flag a site
	// above it. The sector's guideline is 15 to 20%.
	MaxShareOfSiteStaffPct int `json:"max_share_of_site_staff_pct"`
}

// PostArticle60 is the follow-up towards the regular labour market.
type PostArticle60 struct {
	Length           Period   `json:"length"`
	CheckInEvery     Period   `json:"check_in_every"`
	OutcomeReminders []Period `json:"outcome_reminders"`
	// OutcomeGrace: after the follow-up ends without an outcome, the
	// coordinator is alerted; after this grace the trajectory closes with
	// outcome "unknown".
	OutcomeGrace Period `json:"outcome_grace"`
}

// Sanction is the non-cooperation procedure before the BCSD.
type Sanction struct {
	// HearingNoticeMin: the hearing is at least this long after the invitation.
	HearingNoticeMin   Period   `json:"hearing_notice_min"`
	HearingReminders   []Period `json:"hearing_reminders"`
	DecisionWithin     Period   `json:"decision_within"`
	DecisionReminders  []Period `json:"decision_reminders"`
	NotificationWithin Period   `json:"notification_within"`
	AppealWindow       Period   `json:"appeal_window"`
	RepeatWindow       Period   `json:"repeat_window"`
	// MaxSuspensionMonths and MaxRepeatSuspensionMonths bound a suspension,
	// the second when a previous one was decided within RepeatWindow.
	MaxSuspensionMonths       int `json:"max_suspension_months"`
	MaxRepeatSuspensionMonths int `json:"max_repeat_suspension_months"`
	// CounsellorsRecordSteps lets counsellors schedule hearings and record
	// them and their notification, where a small centre has no
	// secretariat; by default those steps are the BCSD secretariat's (and
	// the coordinator's), and only the committee's side decides.
	CounsellorsRecordSteps bool `json:"counsellors_record_steps"`
}

// MayRecordStep tells whether a role may record a step of the procedure
// other than the decision, under this policy.
func (s Sanction) MayRecordStep(role domain.Role) bool {
	switch role {
	case domain.RoleBCSD, domain.RoleCoordinator:
		return true
	case domain.RoleCounsellor:
		return s.CounsellorsRecordSteps
	}
	return false
}

// Default returns the legal defaults of DOMAIN.md.
func Default() Policy {
	return Policy{
		Version:  0,
		TimeZone: "Europe/Brussels",
		Calendar: Calendar{MoveToWorkingDay: true},
		GPMI: GPMI{
			SignWithin:               Months(3),
			SignReminders:            []Period{Days(30), Days(7)},
			SignFromNotification:     true,
			RequireNeedsAnalysis:     true,
			ExemptionReviewAfter:     Months(6),
			ExemptionReviewReminders: []Period{Days(14)},
			EvaluationEvery:          Months(4),
			FaceToFacePerYear:        2,
			EvaluationReminders:      []Period{Days(14)},
		},
		Article60: Article60{
			WorkingDays:            DefaultWorkingDays(),
			AttendanceChecksBefore: []Period{Months(4), Months(1)},
			ReferralBefore:         Months(2),
			EndReminders:           []Period{Days(60), Days(30), Days(7)},
			TrainingReminders:      []Period{Days(14)},
			HostCheckWithin:        Days(14),
			HostCheckReminders:     []Period{Days(3)},
			MaxShareOfSiteStaffPct: 20,
		},
		PostArticle60: PostArticle60{
			Length:           Months(3),
			CheckInEvery:     Months(1),
			OutcomeReminders: []Period{Days(7)},
			OutcomeGrace:     Days(30),
		},
		Sanction: Sanction{
			HearingNoticeMin:          Days(8),
			HearingReminders:          []Period{Days(2)},
			DecisionWithin:            Days(30),
			DecisionReminders:         []Period{Days(7)},
			NotificationWithin:        Days(8),
			AppealWindow:              Months(3),
			RepeatWindow:              Months(12),
			MaxSuspensionMonths:       1,
			MaxRepeatSuspensionMonths: 3,
		},
		Notifications: Notifications{RetryFor: Days(3), DigestAt: "07:30", WeeklyDigestOn: "monday", DigestHorizon: Days(7)},
		Retention:     Retention{ClosedDossiers: Months(120)},
		Notes:         Notes{CorrectWithin: Seconds(24 * 3600)},
		Inspection:    Inspection{EvaluationsPerYear: 3, AtRiskHorizon: Days(30)},
		Claims: Claims{
			GeneralCode: "11", ExtensionCode: "17",
			FirstPeriod: Months(12), BreakNeedsNewGPMI: Months(3),
			Article60: Article60Funding{Regions: []string{"flanders"}, Scheme: "TWE",
				MonthlyFeeCents: 25000, CompensationCents: 19500, MaxMonths: 24},
		},
		Literacy:         Literacy{Levels: []string{"alfa_a", "alfa_b", "alfa_c", "a1", "a2", "b1"}, MaxWaitingLists: 2},
		CivicIntegration: CivicIntegration{Regions: []string{"flanders"}},
	}
}

// Validate checks a policy before it is stored, naming the first bad field.
func (p Policy) Validate() error {
	if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "" {
		return fieldError("time_zone", domain.TimeZone)
	}
	for _, d := range p.Calendar.ExtraHolidays {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return fieldError("calendar.extra_holidays", domain.NotDate)
		}
	}
	positive := map[string]Period{
		"gpmi.sign_within":              p.GPMI.SignWithin,
		"gpmi.evaluation_every":         p.GPMI.EvaluationEvery,
		"post_article60.length":         p.PostArticle60.Length,
		"post_article60.check_in_every": p.PostArticle60.CheckInEvery,
		"sanction.decision_within":      p.Sanction.DecisionWithin,
		"sanction.notification_within":  p.Sanction.NotificationWithin,
		"sanction.appeal_window":        p.Sanction.AppealWindow,
		"sanction.repeat_window":        p.Sanction.RepeatWindow,
		"article60.referral_before":     p.Article60.ReferralBefore,
		"article60.host_check_within":   p.Article60.HostCheckWithin,
		"sanction.hearing_notice_min":   p.Sanction.HearingNoticeMin,
		"post_article60.outcome_grace":  p.PostArticle60.OutcomeGrace,
		"notes.correct_within":          p.Notes.CorrectWithin,
		"gpmi.exemption_review_after":   p.GPMI.ExemptionReviewAfter,
		"inspection.at_risk_horizon":    p.Inspection.AtRiskHorizon,
		"claims.first_period":           p.Claims.FirstPeriod,
		"claims.break_needs_new_gpmi":   p.Claims.BreakNeedsNewGPMI,
	}
	for _, name := range sortedKeys(positive) {
		if !isPositive(positive[name]) {
			return fieldError(name, domain.Positive)
		}
	}
	if c := p.Article60.MaxShareOfSiteStaffPct; c < 1 || c > 100 {
		return fieldError("article60.max_share_of_site_staff_pct", domain.Between, "1", "100")
	}
	if _, err := time.Parse("15:04", p.Notifications.DigestAt); err != nil {
		return fieldError("notifications.digest_at", domain.Clock)
	}
	if p.Notifications.Weekday().String() != cases(p.Notifications.WeeklyDigestOn) {
		return fieldError("notifications.weekly_digest_on", domain.OneOf, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
	}
	if p.GPMI.FaceToFacePerYear < 0 {
		return fieldError("gpmi.face_to_face_per_year", domain.NotNegative)
	}
	if p.Inspection.EvaluationsPerYear < 1 {
		return fieldError("inspection.evaluations_per_year", domain.Positive)
	}
	if p.GPMI.FaceToFacePerYear > p.Inspection.EvaluationsPerYear {
		return fieldError("gpmi.face_to_face_per_year", domain.Between, "0", strconv.Itoa(p.Inspection.EvaluationsPerYear))
	}
	if p.Claims.GeneralCode == "" || p.Claims.ExtensionCode == "" {
		return fieldError("claims.general_code", domain.Required)
	}
	for _, r := range p.Claims.Article60.Regions {
		if r != "flanders" && r != "brussels" && r != "wallonia" {
			return fieldError("claims.article60.regions", domain.OneOf, "flanders", "brussels", "wallonia")
		}
	}
	if f := p.Claims.Article60; f.MonthlyFeeCents < 0 || f.CompensationCents < 0 || f.MaxMonths < 0 {
		return fieldError("claims.article60.max_months", domain.NotNegative)
	}
	if p.Sanction.MaxSuspensionMonths < 1 || p.Sanction.MaxRepeatSuspensionMonths < p.Sanction.MaxSuspensionMonths {
		return fieldError("sanction.max_repeat_suspension_months", domain.RepeatMonths)
	}
	if err := p.Literacy.validate(); err != nil {
		return err
	}
	for _, r := range p.CivicIntegration.Regions {
		if !slices.Contains(Regions, r) {
			return fieldError("civic_integration.regions", domain.OneOf, Regions...)
		}
	}
	return validateWorkingDays(p.Article60.WorkingDays)
}

func (l Literacy) validate() error {
	if len(l.Levels) == 0 {
		return fieldError("literacy.levels", domain.Required)
	}
	seen := map[string]bool{}
	for _, v := range l.Levels {
		if seen[v] || !slices.Contains(LiteracyLevels, v) {
			return fieldError("literacy.levels", domain.OneOf, LiteracyLevels...)
		}
		seen[v] = true
	}
	if l.MaxWaitingLists < 1 {
		return fieldError("literacy.max_waiting_lists", domain.Positive)
	}
	return nil
}

// Location is the centre's time zone; Validate has checked it loads.
func (p Policy) Location() *time.Location {
	if loc, ok := zones.Load(p.TimeZone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return time.UTC
	}
	zones.Store(p.TimeZone, loc)
	return loc
}

// zones keeps each time zone once loaded: time.LoadLocation reads and
// parses the zone file at every call, which was a third of the time of a
// centre's files at risk (a working day is asked for each file). A zone
// is a pure function of its name, so workflow code may share it.
var zones sync.Map

func isPositive(p Period) bool {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return p.After(t).After(t)
}

// FieldError names the policy field that is wrong, and what is wrong with it.
type FieldError struct{ domain.FieldProblem }

func (e *FieldError) Error() string { return "policy: " + e.FieldProblem.String() }

func fieldError(field string, code domain.Code, args ...string) error {
	return &FieldError{domain.Problem(field, code, args...)}
}

// ErrNoRule means no working-days rule covers a contract's start date.
var ErrNoRule = errors.New("no Article 60 working-days rule covers this start date")

// cases capitalises a weekday name the way time.Weekday writes it.
func cases(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}
