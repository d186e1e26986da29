package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/messages"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// The words a page shows for the codes traject keeps: a person reads
// "hoorzitting houden", "voltijds" or "keukenhulp", never sanction_hearing,
// full_time or kitchen_help. Each code has a message per language; a code
// the lists here do not know (a row written by an older version) is said
// in general words rather than shown. TestPagesShowNoCodes opens every page
// and fails on a code in its text.

// mailKinds are the messages traject sends that are not a reminder of, or
// an alert about, a deadline: each has the message "mail.kind.<kind>".
var mailKinds = []string{
	"sanction_warning", "sanction_hearing_invitation", "sanction_decision",
	"a60_host_signal", "a60_host_hiring", "notice_undelivered",
}

// mailKind names a message: the deadline it is about and whether it
// reminds or tells that it passed ("mail.kind" puts French's space before
// the colon), a digest, or one of mailKinds.
func mailKind(lang, kind string) string {
	if base, ok := strings.CutSuffix(kind, "_reminder"); ok {
		return t(lang, "mail.kind", deadlineWhat(lang, base), t(lang, "mail.reminder"))
	}
	if base, ok := strings.CutSuffix(kind, "_overdue"); ok {
		return t(lang, "mail.kind", deadlineWhat(lang, base), t(lang, "mail.overdue"))
	}
	if strings.HasPrefix(kind, "digest_") {
		return t(lang, "mail.digest")
	}
	if messages.Has(lang, "mail.kind."+kind) {
		return t(lang, "mail.kind."+kind)
	}
	return t(lang, "mail.kind.other")
}

// deadlineWhat names a deadline by its kind, with the e-mails' words
// (notify.Label); a kind without them is "a deadline".
func deadlineWhat(lang, kind string) string {
	if l := notify.Label(kind, lang); l != kind {
		return l
	}
	return t(lang, "deadline.other")
}

// functionName is a host function's name in lang: the message
// "function.<code>". A code no longer in store.HostFunctions (a position
// saved before the list) is shown as words, its underscores as spaces.
func functionName(lang, code string) string {
	if messages.Has(lang, "function."+code) {
		return t(lang, "function."+code)
	}
	return strings.ReplaceAll(code, "_", " ")
}

// trainingName is a skills plan's training in lang: the message
// "training.<code>", or, for a code saved before store.Trainings, the
// code as words.
func trainingName(lang, code string) string {
	if messages.Has(lang, "training."+code) {
		return t(lang, "training."+code)
	}
	return strings.ReplaceAll(code, "_", " ")
}

// trainingOptions name the codes of a contract's trainings still to do.
func trainingOptions(lang string, codes []string) []option {
	out := make([]option, 0, len(codes))
	for _, c := range codes {
		out = append(out, option{c, trainingName(lang, c)})
	}
	return out
}

// functionOptions are the choices of a host position's function, an empty
// one first, in the list's order (kitchen, cleaning, shop, logistics,
// outdoors, care, office); current, when it is a code outside the list,
// stays offered so that a form keeps it.
func functionOptions(lang, current string) []option {
	out := []option{{"", functionName(lang, "")}}
	for _, f := range store.HostFunctions {
		out = append(out, option{f, functionName(lang, f)})
	}
	if current != "" && !messages.Has(lang, "function."+current) {
		out = append(out, option{current, functionName(lang, current)})
	}
	return out
}

// auditActions are the actions the audit log records, each with the
// message "audit.action.<action>": the pages' and the API's reads and
// writes, and the workflows' updates (workflows.UpdateRoles). Three kinds
// carry a value after the action: transition:<phase>, merge_host:<host>
// and read_stats:<table>.
var auditActions = []string{
	"open_page", "read_work", "read_team", "read_dossier", "read_timeline", "read_gpmi", "read_needs_analyses",
	"read_notes", "read_notifications", "read_signals", "read_procedure", "read_letters", "read_letter", "download_letter",
	"read_file_check", "read_file_checks", "read_claims", "read_inspection_pack", "read_attendance_grid", "declare_attendance_month",
	"read_agenda", "read_policy", "read_audit", "export_audit", "read_outbox", "read_stats", "read_host_worker", "read_host_report",
	"read_attendance_sheet", "list_participants", "export_participants", "list_users", "list_hosts", "list_host_workers",
	"list_host_agreements", "create_participant", "update_details", "reenter_participant", "write_note", "correct_note",
	"record_needs_analysis", "record_gpmi_extension", "produce_letter", "change_letter_settings", "change_policy", "create_user", "change_user",
	"create_token", "revoke_token", "create_host", "change_host", "archive_host", "record_attendance",
	"create_partner", "change_partner", "create_course", "change_course", "read_waiting_list", "read_literacy", "read_literacy_stats",
	"record_level_test", "refer_to_course", "enrol_in_course", "end_course_place",
	"read_phase_records", "add_programme", "record_programme_result", "add_student_job", "add_placement", "end_placement",
	"set_civic_integration",
	workflows.UpdateSignGPMI, workflows.UpdateRecordEvaluation, workflows.UpdateAmendGPMI, workflows.UpdateRecordAbsence,
	workflows.UpdateChangeContractEnd, workflows.UpdateRecordTraining, workflows.UpdateRecordCheckIn, workflows.UpdateRecordOutcome,
	workflows.UpdateRecordEmploymentReferral,
	workflows.UpdateReassignCounsellor, workflows.UpdateReportNonCooperation, workflows.UpdateRecordHostCheck,
	workflows.UpdateSignalProblem, workflows.UpdateRecordHiring, workflows.UpdateMoveContractHost,
	workflows.UpdateScheduleHearing, workflows.UpdateRecordHearing, workflows.UpdateRecordDecision, workflows.UpdateRecordNotification,
}

// auditAction says an audit entry's action in lang.
func auditAction(lang, action string) string {
	if phase, ok := strings.CutPrefix(action, workflows.UpdateTransition+":"); ok {
		return t(lang, "audit.action.transition", phaseName(lang, phase))
	}
	if _, ok := strings.CutPrefix(action, "merge_host:"); ok {
		return t(lang, "audit.action.merge_host")
	}
	if table, ok := strings.CutPrefix(action, "read_stats:"); ok && messages.Has(lang, "stats."+table) {
		return t(lang, "audit.action.read_stats_table", t(lang, "stats."+table))
	}
	if messages.Has(lang, "audit.action."+action) {
		return t(lang, "audit.action."+action)
	}
	return t(lang, "audit.action.other")
}

// auditObjects and auditOutcomes are what an audit entry is about and how
// it ended: "audit.object.<type>", "audit.outcome.<outcome>".
var (
	auditObjects  = []string{"participant", "centre", "host", "user", "token", "page"}
	auditOutcomes = store.AuditOutcomes
)

func auditObject(lang, objectType string) string {
	if messages.Has(lang, "audit.object."+objectType) {
		return t(lang, "audit.object."+objectType)
	}
	return t(lang, "audit.object.other")
}

func auditOutcome(lang, outcome string) string {
	if messages.Has(lang, "audit.outcome."+outcome) {
		return t(lang, "audit.outcome."+outcome)
	}
	return t(lang, "audit.outcome.other")
}

// roleName is a role in lang ("role.<role>").
func roleName(lang, role string) string {
	if messages.Has(lang, "role."+role) {
		return t(lang, "role."+role)
	}
	return t(lang, "role.other")
}

// phaseName is a phase in lang ("phase.<phase>").
func phaseName(lang, phase string) string {
	if messages.Has(lang, "phase."+phase) {
		return t(lang, "phase."+phase)
	}
	return t(lang, "phase.other")
}

// regimeName is an Article 60 contract's working regime in lang.
func regimeName(lang, regime string) string {
	if messages.Has(lang, "regime."+regime) {
		return t(lang, "regime."+regime)
	}
	return t(lang, "regime.other")
}

// monthName writes a month as people in Belgium do: december 2026,
// décembre 2026. It takes a time or a month as YYYY-MM; anything else is
// left as it is.
func monthName(lang string, month any) string {
	var m time.Time
	switch v := month.(type) {
	case string:
		var err error
		if m, err = time.Parse("2006-01", v); err != nil {
			return v
		}
	default:
		d, ok := asTime(month)
		if !ok {
			return ""
		}
		m = d
	}
	return fmt.Sprintf("%s %d", months[lang][m.Month()-1], m.Year())
}

// shortMonths are the months as a chart's axis writes them, under which
// the year stands once, at its first month.
var shortMonths = map[string][12]string{
	"nl": {"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"},
	"fr": {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
}

// periodText writes a policy period in words: "8 dagen", "1 mois",
// "3 maanden en 10 dagen".
func periodText(lang string, p policy.Period) string {
	var parts []string
	if p.Months != 0 {
		if p.Months%12 == 0 && p.Months >= 24 {
			parts = append(parts, tn(lang, "period.years", p.Months/12))
		} else {
			parts = append(parts, tn(lang, "period.months", p.Months))
		}
	}
	if p.Days != 0 {
		parts = append(parts, tn(lang, "period.days", p.Days))
	}
	if p.Exact != 0 {
		if p.Exact%time.Hour == 0 {
			parts = append(parts, tn(lang, "period.hours", int(p.Exact/time.Hour)))
		} else {
			parts = append(parts, tn(lang, "period.seconds", int(p.Exact.Round(time.Second)/time.Second)))
		}
	}
	switch len(parts) {
	case 0:
		return tn(lang, "period.days", 0)
	case 1:
		return parts[0]
	}
	return t(lang, "list.and", strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1])
}

// groupKey names a statistics row's group: a host function or a gender in
// words, a host or a centre by the name the report gives (key otherwise).
func groupKey(lang, group, key string) string {
	switch group {
	case "function":
		return functionName(lang, key)
	case "gender":
		if key != "" && messages.Has(lang, "gender."+key) {
			return t(lang, "gender."+key)
		}
		return t(lang, "gender.unknown")
	}
	return key
}
