package web

import (
	"fmt"
	"time"
)

// message is one text of the pages in both languages: a message cannot be
// added in one only (TestEveryMessageInBothLanguages checks none is empty).
type message struct{ nl, fr string }

var messages = map[string]message{
	"app.name":            {"Traject", "Traject"},
	"nav.work":            {"Mijn werk", "Mon travail"},
	"nav.skip":            {"Naar de inhoud", "Aller au contenu"},
	"nav.language":        {"Taal", "Langue"},
	"nav.signout":         {"Afmelden", "Se déconnecter"},
	"signin.title":        {"Aanmelden", "Se connecter"},
	"signin.dev":          {"Ontwikkelmodus: kies een gebruiker van deze installatie.", "Mode développement : choisissez un utilisateur de cette installation."},
	"signin.as":           {"Aanmelden als %s", "Se connecter en tant que %s"},
	"signin.none":         {"Deze installatie heeft nog geen gebruikers: maak er een met traject user create.", "Cette installation n'a pas encore d'utilisateurs : créez-en un avec traject user create."},
	"signin.provider":     {"Aanmelden via de identiteitsprovider van uw OCMW is nog niet ingesteld.", "La connexion via le fournisseur d'identité de votre CPAS n'est pas encore configurée."},
	"work.title":          {"Mijn werk", "Mon travail"},
	"work.intro":          {"De termijnen van uw dossiers: wat te laat is, wat vandaag vervalt en wat de komende 7 dagen vervalt.", "Les échéances de vos dossiers : ce qui est en retard, ce qui échoit aujourd'hui et dans les 7 prochains jours."},
	"work.overdue":        {"Te laat", "En retard"},
	"work.today":          {"Vandaag", "Aujourd'hui"},
	"work.week":           {"Komende 7 dagen", "7 prochains jours"},
	"work.count":          {"%d termijnen", "%d échéances"},
	"work.empty":          {"Niets in deze lijst.", "Rien dans cette liste."},
	"work.participant":    {"Deelnemer", "Participant"},
	"work.what":           {"Wat", "Quoi"},
	"work.due":            {"Vervaldag", "Échéance"},
	"work.actor":          {"Wie moet handelen", "Qui doit agir"},
	"actor.participant":   {"de deelnemer", "le participant"},
	"actor.counsellor":    {"de trajectbegeleider", "l'accompagnateur"},
	"actor.coordinator":   {"de coördinator", "le coordinateur"},
	"actor.bcsd":          {"het BCSD", "le CSSS"},
	"actor.host":          {"de werkgever", "l'employeur"},
	"actor.me":            {"ik", "moi"},
	"error.title":         {"Er ging iets mis", "Un problème est survenu"},
	"error.notfound":      {"Deze pagina bestaat niet.", "Cette page n'existe pas."},
	"error.unavailable":   {"De dienst is even niet bereikbaar. Probeer het over enkele seconden opnieuw.", "Le service est momentanément indisponible. Réessayez dans quelques secondes."},
	"error.internal":      {"Interne fout; geef dit nummer aan de beheerder: %s", "Erreur interne ; communiquez ce numéro à l'administrateur : %s"},
	"language.nl":         {"Nederlands", "Nederlands"},
	"language.fr":         {"Français", "Français"},
	"language.switch":     {"Français", "Nederlands"},
	"language.switch.to":  {"fr", "nl"},
	"role.counsellor":     {"trajectbegeleider", "accompagnateur"},
	"role.coordinator":    {"coördinator", "coordinateur"},
	"role.bcsd":           {"BCSD-secretariaat", "secrétariat du CSSS"},
	"role.admin":          {"beheerder", "administrateur"},
	"work.caseload.total": {"%d open dossiers", "%d dossiers ouverts"},
}

// t translates a message; args fill its %d and %s. An unknown key shows
// itself, which the tests catch.
func t(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	text := m.nl
	if lang == "fr" {
		text = m.fr
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}

var months = map[string][12]string{
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

// longDate writes a day as Belgians read it: 2 december 2026, 2 décembre
// 2026 (1er for the first of the month in French).
func longDate(lang string, d time.Time) string {
	day := fmt.Sprint(d.Day())
	if lang == "fr" && d.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, months[lang][d.Month()-1], d.Year())
}

// shortDate is the numeric form both languages use in Belgium: 02/12/2026.
func shortDate(d time.Time) string { return d.Format("02/01/2006") }
