package domain

import "strings"

// FieldProblem is one field of a request that is missing or malformed: the
// field, what is wrong with it as a code, and the code's arguments. The API
// writes it in English and the pages in the reader's language, both from
// the message "fault.<code>" (package messages); nothing reads its text.
type FieldProblem struct {
	Field string   `json:"field"`
	Code  Code     `json:"code"`
	Args  []string `json:"args,omitempty"`
}

// Problem names a field at fault.
func Problem(field string, code Code, args ...string) FieldProblem {
	return FieldProblem{Field: field, Code: code, Args: args}
}

// String is for logs and test failures: the field, the code and its
// arguments, never a value the caller sent.
func (p FieldProblem) String() string {
	if len(p.Args) == 0 {
		return p.Field + ": " + string(p.Code)
	}
	return p.Field + ": " + string(p.Code) + " (" + strings.Join(p.Args, ", ") + ")"
}

// Code is what is wrong with a field. Each has its message "fault.<code>"
// in every language of package messages (a test holds them complete); the
// arguments fill the message's %s in order.
type Code string

// Codes of the shape of a value.
const (
	Required     Code = "required"
	NotDate      Code = "date"         // YYYY-MM-DD
	NotMonth     Code = "month"        // YYYY-MM
	NotDateTime  Code = "date_time"    // a date and a time
	NotDateOrDay Code = "date_or_time" // YYYY-MM-DD or RFC 3339
	NotWhole     Code = "whole_number"
	Between      Code = "between"   // args: min, max
	AtMost       Code = "at_most"   // args: max
	MaxBytes     Code = "max_bytes" // args: max
	OneOf        Code = "one_of"    // args: the values the API takes
	NotText      Code = "text"      // control characters or invalid UTF-8
	NotEmail     Code = "email"
	NotNational  Code = "national_number"
	NotID        Code = "id" // an ID of the kind the field names
	UnknownField Code = "unknown_field"
	WrongType    Code = "type" // args: the JSON type
	Twice        Code = "twice"
	AfterField   Code = "after"     // args: the other field
	NotWith      Code = "not_with"  // args: the other field
	OnlyWith     Code = "only_with" // args: the condition
	Unchangeable Code = "unchangeable"
	Stored       Code = "stored" // conflicts with what is stored
	KeyReused    Code = "key_reused"
	NotParameter Code = "parameter"
	Slug         Code = "slug"          // lower-case letters, digits and dashes
	Range        Code = "range"         // args: max months
	NotBefore    Code = "not_before"    // args: the date it may not precede
	SameAs       Code = "same"          // must differ from the current value
	Period       Code = "period"        // a length such as 3 months or 30 days
	NotJSON      Code = "json"          // not JSON of the right shape
	Positive     Code = "positive"      // longer than zero, at least 1
	NotNegative  Code = "not_negative"  // zero or more
	TimeZone     Code = "time_zone"     // an IANA time zone such as Europe/Brussels
	Clock        Code = "clock"         // a time of day as HH:MM
	AgeBands     Code = "age_bands"     // start at age 0 and ascend
	RepeatMonths Code = "repeat_months" // at least the first suspension's months, itself at least 1
)

// Codes of the service's own rules.
const (
	OwnCaseload        Code = "own_caseload"         // a counsellor creates in their own caseload
	NotCounsellor      Code = "counsellor"           // an active counsellor of the centre
	NoPositions        Code = "host_positions"       // an active host of the centre with positions for the function
	NotOtherHost       Code = "other_host"           // another host organisation, not archived
	NotPartnerCentre   Code = "partner_centre"       // a centre the host has an agreement with
	HostShared         Code = "host_shared"          // other centres work with it: merge into it instead
	HostBusy           Code = "host_busy"            // contracts run there
	HostMovePending    Code = "host_move_pending"    // a contract still runs under the old record
	ParticipantExists  Code = "participant_exists"   // the national number is known in the centre
	IDTaken            Code = "id_taken"             // the ID is taken
	EmailTaken         Code = "email_taken"          // a user with that address exists
	CentreExists       Code = "centre_exists"        // a centre with that ID exists
	NoContract         Code = "no_contract"          // no Article 60 contract runs
	OutsideContract    Code = "outside_contract"     // between the contract's start and today
	BeforeContract     Code = "before_contract"      // before the contract's start
	NotATraining       Code = "training"             // not a training of the skills plan
	SelfAdmin          Code = "self_admin"           // an administrator keeps their own role and account
	HearingTooSoon     Code = "hearing_notice"       // args: the earliest date the policy's notice allows
	UserInactive       Code = "user_inactive"        // activate the user first
	DayLocked          Code = "day_locked"           // args: the day; it moved the contract end already
	MaxDays            Code = "max_days"             // args: the most days one request holds
	InFuture           Code = "future"               // a day that has not come yet
	NotBirthDate       Code = "birth_date_number"    // the national number's birth date is another
	NotPhone           Code = "phone"                // digits with spaces, dots, dashes or slashes, an optional +
	NotPostcode        Code = "postcode"             // a Belgian postcode of 4 digits
	NotClosed          Code = "not_closed"           // the trajectory still runs
	TooLong            Code = "too_long"             // args: the most characters a text takes
	NoteAuthor         Code = "note_author"          // only a note's author corrects it
	Acknowledgement    Code = "acknowledgement"      // the person was told the GPMI's content, consequences, right to be heard
	NeedsAnalysisFirst Code = "needs_analysis_first" // the policy asks for a needs analysis before the GPMI
	NotToCome          Code = "to_come"              // a day after today
	ExemptOnly         Code = "exempt_only"          // belongs to an exemption only
	RegisteredNumber   Code = "registered_number"    // a registered letter's number: letters, digits and spaces
	LetterNotYet       Code = "letter_not_yet"       // the procedure has not reached the step the letter tells
	GPMINotSigned      Code = "gpmi_not_signed"      // the GPMI is not recorded signed with its agreements
	LetterSettings     Code = "letter_settings"      // the centre's letter settings lack the labour court or the service
	MonthDeclared      Code = "month_declared"       // args: the month (YYYY-MM); the host declared it complete
	MonthIncomplete    Code = "month_incomplete"     // args: the days still to enter
	MonthNotOver       Code = "month_not_over"       // counted days of the month are still to come
	OnThisList         Code = "on_this_list"         // the person waits for or follows this course already
	TooManyLists       Code = "too_many_lists"       // args: the most waiting lists one person is on (policy literacy.max_waiting_lists)
	NotWaiting         Code = "not_waiting"          // the person no longer waits for this course
	NoFreePlace        Code = "no_free_place"        // args: the person's position, the free places; those before them come first
	EnrolledElsewhere  Code = "enrolled_elsewhere"   // the person follows another course (one at a time)
	NotInStatus        Code = "not_in_status"        // the place cannot end so from where it stands (ended already, or not yet enrolled)
	BeforeReferral     Code = "before_referral"      // a day before the person was put on the list
	CivicNotInRegion   Code = "civic_region"         // the centre's policy does not record civic integration in its region
)

// Refusal is why a workflow's validator refused a write: its kind (the
// error type the doors map to a status), a reason whose message
// "refusal.<reason>" says it, the reason's arguments, and the fields at
// fault when the data was. It travels as the refusal's error details.
type Refusal struct {
	Reason Reason         `json:"reason"`
	Args   []string       `json:"args,omitempty"`
	Fields []FieldProblem `json:"fields,omitempty"`
}

// Reason is why a write was refused.
type Reason string

// Reasons.
const (
	ReasonInvalid          Reason = "invalid"           // the fields say what
	ReasonStale            Reason = "stale"             // the dossier changed meanwhile
	ReasonRole             Reason = "role"              // args: the role
	ReasonClosed           Reason = "closed"            // the trajectory is closed
	ReasonTransition       Reason = "transition"        // args: from, to
	ReasonStage            Reason = "stage"             // args: the procedure's stage
	ReasonGPMISigned       Reason = "gpmi_signed"       // amend it instead
	ReasonExempt           Reason = "exempt"            // exempted for health or equity reasons
	ReasonGPMIUnsigned     Reason = "gpmi_unsigned"     // not signed yet
	ReasonNoContract       Reason = "no_contract"       // no Article 60 contract runs
	ReasonTrainingDone     Reason = "training_done"     // args: the training
	ReasonNotFollowUp      Reason = "not_follow_up"     // check-ins belong to the follow-up
	ReasonOutcomeFollowUp  Reason = "outcome_follow_up" // args: the phase; close with a transition
	ReasonSameCounsellor   Reason = "same_counsellor"   // already that counsellor's
	ReasonProcedureRunning Reason = "procedure_running" // one BCSD procedure at a time
	ReasonCheckDone        Reason = "check_done"        // args: the check's number
	ReasonHiringContract   Reason = "hiring_contract"   // a hiring follows a contract
	ReasonHiringDone       Reason = "hiring_done"       // recorded already
	ReasonHostNoContract   Reason = "host_no_contract"  // no contract at that host
	ReasonReferralContract Reason = "referral_contract" // a referral to the employment service follows an Article 60 contract
)
