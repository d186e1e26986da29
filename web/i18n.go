package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/notify"
)

// message is one text of the pages in both languages: a message cannot be
// added in one only (TestEveryMessageInBothLanguages checks none is empty).
type message struct{ nl, fr string }

var messages = map[string]message{
	"app.name":                            {"Traject", "Traject"},
	"nav.work":                            {"Mijn werk", "Mon travail"},
	"nav.skip":                            {"Naar de inhoud", "Aller au contenu"},
	"nav.language":                        {"Taal", "Langue"},
	"nav.signout":                         {"Afmelden", "Se déconnecter"},
	"signin.title":                        {"Aanmelden", "Se connecter"},
	"signin.dev":                          {"Ontwikkelmodus: kies een gebruiker van deze installatie.", "Mode développement : choisissez un utilisateur de cette installation."},
	"signin.as":                           {"Aanmelden als %s", "Se connecter en tant que %s"},
	"signin.none":                         {"Deze installatie heeft nog geen gebruikers: maak er een met traject user create.", "Cette installation n'a pas encore d'utilisateurs : créez-en un avec traject user create."},
	"signin.oidc":                         {"Aanmelden met uw OCMW-account", "Se connecter avec votre compte CPAS"},
	"signin.failed":                       {"Aanmelden is niet gelukt: uw account is onbekend in traject, niet actief, of de identiteitsprovider weigerde. Probeer opnieuw of vraag het de beheerder.", "La connexion a échoué : votre compte est inconnu de traject, inactif, ou le fournisseur d'identité a refusé. Réessayez ou contactez l'administrateur."},
	"signin.devtitle":                     {"Ontwikkelmodus", "Mode développement"},
	"signin.provider":                     {"Aanmelden via de identiteitsprovider van uw OCMW is niet ingesteld (traject serve --oidc-issuer).", "La connexion via le fournisseur d'identité de votre CPAS n'est pas configurée (traject serve --oidc-issuer)."},
	"work.title":                          {"Mijn werk", "Mon travail"},
	"work.intro":                          {"De termijnen van uw dossiers: wat te laat is, wat vandaag vervalt en wat de komende 7 dagen vervalt.", "Les échéances de vos dossiers : ce qui est en retard, ce qui échoit aujourd'hui et dans les 7 prochains jours."},
	"work.overdue":                        {"Te laat", "En retard"},
	"work.today":                          {"Vandaag", "Aujourd'hui"},
	"work.week":                           {"Komende 7 dagen", "7 prochains jours"},
	"work.count":                          {"%d termijn(en)", "%d échéance(s)"},
	"work.empty":                          {"Niets in deze lijst.", "Rien dans cette liste."},
	"work.participant":                    {"Deelnemer", "Participant"},
	"work.what":                           {"Wat", "Quoi"},
	"work.due":                            {"Vervaldag", "Échéance"},
	"work.actor":                          {"Wie moet handelen", "Qui doit agir"},
	"actor.participant":                   {"de deelnemer", "le participant"},
	"actor.counsellor":                    {"de trajectbegeleider", "l'accompagnateur"},
	"actor.coordinator":                   {"de coördinator", "le coordinateur"},
	"actor.bcsd":                          {"het BCSD", "le CSSS"},
	"actor.host":                          {"de werkgever", "l'employeur"},
	"actor.me":                            {"ik", "moi"},
	"error.title":                         {"Er ging iets mis", "Un problème est survenu"},
	"error.notfound":                      {"Deze pagina bestaat niet.", "Cette page n'existe pas."},
	"error.unavailable":                   {"De dienst is even niet bereikbaar. Probeer het over enkele seconden opnieuw.", "Le service est momentanément indisponible. Réessayez dans quelques secondes."},
	"error.internal":                      {"Interne fout; geef dit nummer aan de beheerder: %s", "Erreur interne ; communiquez ce numéro à l'administrateur : %s"},
	"language.nl":                         {"Nederlands", "Nederlands"},
	"language.fr":                         {"Français", "Français"},
	"language.switch":                     {"Français", "Nederlands"},
	"language.switch.to":                  {"fr", "nl"},
	"role.counsellor":                     {"trajectbegeleider", "accompagnateur"},
	"role.coordinator":                    {"coördinator", "coordinateur"},
	"role.bcsd":                           {"BCSD-secretariaat", "secrétariat du CSSS"},
	"role.admin":                          {"beheerder", "administrateur"},
	"work.caseload.total":                 {"%d open dossiers", "%d dossiers ouverts"},
	"phase.intake":                        {"intake", "accueil"},
	"phase.exempt":                        {"vrijgesteld (gezondheid of billijkheid)", "dispensé (santé ou équité)"},
	"phase.facilitator":                   {"fase 1: projectbegeleider", "phase 1 : facilitateur de projet"},
	"phase.literacy":                      {"fase 2: alfabetisering", "phase 2 : alphabétisation"},
	"phase.studies":                       {"fase 3: studies en opleiding", "phase 3 : études et formation"},
	"phase.work":                          {"fase 4: werk zoeken", "phase 4 : recherche d'emploi"},
	"phase.article60":                     {"artikel 60§7", "article 60§7"},
	"phase.post_article60":                {"opvolging na artikel 60", "suivi après l'article 60"},
	"phase.closed":                        {"afgesloten", "clôturé"},
	"event.trajectory_started":            {"traject gestart", "trajet commencé"},
	"event.phase_changed":                 {"fase gewijzigd", "phase changée"},
	"event.gpmi_signed":                   {"GPMI ondertekend", "PIIS signé"},
	"event.gpmi_evaluated":                {"GPMI geëvalueerd", "PIIS évalué"},
	"event.gpmi_amended":                  {"GPMI gewijzigd", "PIIS modifié"},
	"event.absence_recorded":              {"afwezigheid geregistreerd", "absence enregistrée"},
	"event.contract_end_changed":          {"einde contract gewijzigd", "fin du contrat modifiée"},
	"event.training_done":                 {"opleiding gevolgd", "formation suivie"},
	"event.check_in_recorded":             {"opvolgingsgesprek geregistreerd", "contact de suivi enregistré"},
	"event.counsellor_reassigned":         {"andere trajectbegeleider", "autre accompagnateur"},
	"event.non_cooperation_reported":      {"niet-medewerking gemeld", "non-collaboration signalée"},
	"event.hearing_scheduled":             {"hoorzitting gepland", "audition planifiée"},
	"event.hearing_held":                  {"hoorzitting gehouden", "audition tenue"},
	"event.sanction_decided":              {"beslissing BCSD", "décision du CSSS"},
	"event.decision_notified":             {"beslissing betekend", "décision notifiée"},
	"event.sanction_reported":             {"procedure BCSD geopend", "procédure CSSS ouverte"},
	"event.sanction_closed":               {"procedure BCSD afgesloten", "procédure CSSS clôturée"},
	"event.sanction_final":                {"beslissing definitief", "décision définitive"},
	"event.sanction_deadline_overdue":     {"termijn BCSD verstreken", "délai du CSSS dépassé"},
	"event.suspension_started":            {"schorsing leefloon begonnen", "suspension du revenu d'intégration commencée"},
	"event.suspension_ended":              {"schorsing leefloon beëindigd", "suspension du revenu d'intégration terminée"},
	"event.deadline_overdue":              {"termijn verstreken", "échéance dépassée"},
	"event.task_due":                      {"taak vandaag", "tâche du jour"},
	"event.notice_undelivered":            {"bericht niet bezorgd", "message non remis"},
	"event.host_check_recorded":           {"evaluatie door de werkplaats", "évaluation par l'organisme d'accueil"},
	"event.problem_signalled":             {"probleem gemeld door de werkplaats", "problème signalé par l'organisme d'accueil"},
	"event.hiring_recorded":               {"aanwerving door de werkplaats", "engagement par l'organisme d'accueil"},
	"dossier.act":                         {"Handelen", "Agir"},
	"form.sign_gpmi":                      {"GPMI ondertekend", "PIIS signé"},
	"form.record_evaluation":              {"Evaluatie van het GPMI", "Évaluation du PIIS"},
	"form.amend_gpmi":                     {"GPMI wijzigen", "Modifier le PIIS"},
	"form.record_absence":                 {"Afwezigheid", "Absence"},
	"form.record_training":                {"Opleiding gevolgd", "Formation suivie"},
	"form.change_contract_end":            {"Einde van het contract wijzigen", "Modifier la fin du contrat"},
	"form.record_check_in":                {"Opvolgingsgesprek", "Contact de suivi"},
	"form.record_outcome":                 {"Resultaat van de opvolging", "Résultat du suivi"},
	"form.transition":                     {"Naar een andere fase", "Vers une autre phase"},
	"form.reassign_counsellor":            {"Andere trajectbegeleider", "Autre accompagnateur"},
	"form.report_non_cooperation":         {"Niet-medewerking melden", "Signaler une non-collaboration"},
	"form.submit":                         {"Opslaan", "Enregistrer"},
	"form.optional":                       {"niet verplicht", "facultatif"},
	"form.saved":                          {"Opgeslagen: %s.", "Enregistré : %s."},
	"form.problem":                        {"Dit kon niet worden opgeslagen", "Ceci n'a pas pu être enregistré"},
	"form.fix":                            {"Verbeter de velden hieronder.", "Corrigez les champs ci-dessous."},
	"form.conflict":                       {"Iemand anders heeft het dossier intussen gewijzigd. Hieronder staat de nieuwe stand; kijk na en verstuur opnieuw.", "Quelqu'un d'autre a modifié le dossier entre-temps. Voici le nouvel état ; vérifiez et envoyez à nouveau."},
	"form.not_permitted":                  {"Uw rol mag dit niet.", "Votre rôle ne le permet pas."},
	"form.timed_out":                      {"Het systeem heeft dit nog niet verwerkt. Verstuur het formulier opnieuw: het wordt maar één keer uitgevoerd.", "Le système ne l'a pas encore traité. Renvoyez le formulaire : il ne sera exécuté qu'une fois."},
	"form.unreadable":                     {"Het formulier kon niet worden gelezen.", "Le formulaire n'a pas pu être lu."},
	"field.signed_on":                     {"Ondertekend op", "Signé le"},
	"field.held_on":                       {"Gehouden op", "Tenue le"},
	"field.face_to_face":                  {"Face-to-face gesprek", "Entretien en face à face"},
	"field.amended_on":                    {"Gewijzigd op", "Modifié le"},
	"field.text":                          {"Tekst", "Texte"},
	"field.kind":                          {"Soort", "Type"},
	"field.days":                          {"Aantal dagen", "Nombre de jours"},
	"field.code":                          {"Opleiding (code)", "Formation (code)"},
	"field.done_on":                       {"Gevolgd op", "Suivie le"},
	"field.end":                           {"Nieuw einde", "Nouvelle fin"},
	"field.reason_code":                   {"Reden (code)", "Motif (code)"},
	"field.on":                            {"Datum", "Date"},
	"field.outcome":                       {"Resultaat", "Résultat"},
	"field.to":                            {"Nieuwe fase", "Nouvelle phase"},
	"field.contract.host_id":              {"Werkgever (artikel 60)", "Employeur (article 60)"},
	"field.contract.function":             {"Functie (code)", "Fonction (code)"},
	"field.contract.regime":               {"Regime", "Régime"},
	"field.contract.start":                {"Begin van het contract", "Début du contrat"},
	"field.counsellor_id":                 {"Nieuwe trajectbegeleider", "Nouvel accompagnateur"},
	"field.description":                   {"Wat is er gebeurd", "Ce qui s'est passé"},
	"absence.unjustified":                 {"ongewettigd", "injustifiée"},
	"absence.unpaid_leave":                {"onbetaald verlof", "congé sans solde"},
	"absence.suspension":                  {"schorsing", "suspension"},
	"absence.unpaid_sickness":             {"ziekte zonder loon", "maladie non rémunérée"},
	"outcome.":                            {"—", "—"},
	"outcome.regular_job":                 {"job op de gewone arbeidsmarkt", "emploi sur le marché ordinaire"},
	"outcome.hired_by_host":               {"aangeworven door de werkgever", "engagé par l'employeur"},
	"outcome.studies":                     {"studies", "études"},
	"outcome.unemployment_benefits":       {"werkloosheidsuitkering", "allocations de chômage"},
	"outcome.moved":                       {"verhuisd", "déménagé"},
	"outcome.leefloon_ended":              {"leefloon beëindigd", "revenu d'intégration terminé"},
	"outcome.other":                       {"andere", "autre"},
	"regime.":                             {"—", "—"},
	"regime.full_time":                    {"voltijds", "temps plein"},
	"regime.half_time":                    {"halftijds", "mi-temps"},
	"nav.caseload":                        {"Dossiers", "Dossiers"},
	"caseload.title":                      {"Dossiers", "Dossiers"},
	"caseload.name":                       {"Naam", "Nom"},
	"caseload.host":                       {"Werkgever (artikel 60)", "Employeur (article 60)"},
	"caseload.due":                        {"Volgende termijn", "Prochaine échéance"},
	"caseload.due.today":                  {"uiterlijk vandaag", "au plus tard aujourd'hui"},
	"caseload.due.week":                   {"binnen 7 dagen", "dans les 7 jours"},
	"caseload.any":                        {"alle", "tous"},
	"caseload.sort":                       {"Sorteren op", "Trier par"},
	"caseload.sort.id":                    {"Dossiernummer", "Numéro de dossier"},
	"caseload.sort.name":                  {"Naam", "Nom"},
	"caseload.sort.deadline":              {"Eerstvolgende termijn", "Prochaine échéance"},
	"caseload.filter":                     {"Toon", "Afficher"},
	"caseload.csv":                        {"Download als CSV", "Télécharger en CSV"},
	"caseload.excel":                      {"Download voor Excel (puntkomma's)", "Télécharger pour Excel (points-virgules)"},
	"caseload.next":                       {"Volgende termijn", "Prochaine échéance"},
	"caseload.more":                       {"Volgende dossiers", "Dossiers suivants"},
	"caseload.empty":                      {"Geen dossiers met deze filters.", "Aucun dossier avec ces filtres."},
	"nav.bcsd":                            {"BCSD", "CSSS"},
	"nav.stats":                           {"Cijfers", "Statistiques"},
	"error.forbidden":                     {"Uw rol heeft geen toegang tot deze pagina.", "Votre rôle n'a pas accès à cette page."},
	"agenda.title":                        {"Agenda van het BCSD", "Agenda du CSSS"},
	"agenda.period":                       {"Van %s tot en met %s", "Du %s au %s inclus"},
	"agenda.from":                         {"Vanaf", "À partir du"},
	"agenda.weeks":                        {"Periode", "Période"},
	"agenda.weeks.n":                      {"%d week/weken", "%d semaine(s)"},
	"agenda.show":                         {"Toon", "Afficher"},
	"agenda.print":                        {"Deze agenda is gemaakt om af te drukken: de navigatie en de knoppen vallen dan weg.", "Cet agenda est fait pour être imprimé : la navigation et les boutons disparaissent alors."},
	"agenda.rules":                        {"Een hoorzitting vindt minstens %s na de uitnodiging plaats; de beslissing volgt binnen %s na de hoorzitting.", "Une audition a lieu au moins %s après l'invitation ; la décision suit dans les %s après l'audition."},
	"agenda.counts":                       {"%d hoorzitting(en), %d beslissing(en) te nemen, %d kennisgeving(en) te versturen", "%d audition(s), %d décision(s) à prendre, %d notification(s) à envoyer"},
	"agenda.overdue":                      {"Achterstallig", "En retard"},
	"agenda.empty":                        {"Niets gepland in deze periode.", "Rien de prévu pendant cette période."},
	"agenda.item":                         {"Wat", "Quoi"},
	"agenda.at":                           {"Wanneer", "Quand"},
	"agenda.invited":                      {"Uitgenodigd op", "Invité le"},
	"agenda.notice":                       {"Vroegste datum", "Date au plus tôt"},
	"agenda.short":                        {"te kort na de uitnodiging", "trop tôt après l'invitation"},
	"agenda.item.hearing":                 {"Hoorzitting", "Audition"},
	"agenda.item.decision":                {"Beslissing te nemen", "Décision à prendre"},
	"agenda.item.notification":            {"Kennisgeving te versturen", "Notification à envoyer"},
	"period.days":                         {"%d dag(en)", "%d jour(s)"},
	"period.months":                       {"%d maand(en)", "%d mois"},
	"procedure.title":                     {"Procedure bij het BCSD", "Procédure devant le CSSS"},
	"procedure.heading":                   {"Procedure %d bij het BCSD: %s", "Procédure %d devant le CSSS : %s"},
	"procedure.stage":                     {"Stand", "État"},
	"procedure.report":                    {"Melding van niet-medewerking", "Signalement de non-collaboration"},
	"procedure.reported":                  {"Gemeld op", "Signalé le"},
	"procedure.steps":                     {"Stappen", "Étapes"},
	"procedure.invited":                   {"Uitnodiging", "Invitation"},
	"procedure.hearing":                   {"Hoorzitting", "Audition"},
	"procedure.held":                      {"gehouden", "tenue"},
	"procedure.missed":                    {"niet verschenen", "absent"},
	"procedure.decision":                  {"Beslissing", "Décision"},
	"procedure.suspension":                {"Schorsing van %d maand(en), van %s tot %s", "Suspension de %d mois, du %s au %s"},
	"procedure.notified":                  {"Kennisgeving", "Notification"},
	"procedure.appeal":                    {"Beroep mogelijk tot", "Recours possible jusqu'au"},
	"procedure.letters":                   {"Brieven en berichten", "Lettres et messages"},
	"procedure.back":                      {"Terug naar het dossier", "Retour au dossier"},
	"procedure.none":                      {"Geen procedures.", "Aucune procédure."},
	"stage.reported":                      {"gemeld", "signalée"},
	"stage.hearing_scheduled":             {"hoorzitting gepland", "audition prévue"},
	"stage.heard":                         {"gehoord", "entendue"},
	"stage.decided":                       {"beslist", "décidée"},
	"stage.notified":                      {"ter kennis gebracht", "notifiée"},
	"stage.closed":                        {"afgesloten", "clôturée"},
	"decision.no_sanction":                {"geen sanctie", "pas de sanction"},
	"decision.suspension":                 {"schorsing van het leefloon", "suspension du revenu d'intégration"},
	"decision.suspended_sanction":         {"sanctie met uitstel", "sanction avec sursis"},
	"held.true":                           {"ja, gehouden", "oui, tenue"},
	"held.false":                          {"nee, niet verschenen", "non, absent"},
	"form.schedule_hearing":               {"Hoorzitting plannen", "Planifier l'audition"},
	"form.record_hearing":                 {"Hoorzitting gehouden of gemist", "Audition tenue ou manquée"},
	"form.record_decision":                {"Beslissing", "Décision"},
	"form.record_notification":            {"Kennisgeving verstuurd", "Notification envoyée"},
	"field.invited_on":                    {"Uitgenodigd op", "Invité le"},
	"field.hearing_at":                    {"Hoorzitting op (datum en uur)", "Audition le (date et heure)"},
	"field.held":                          {"Is de persoon verschenen?", "La personne s'est-elle présentée ?"},
	"field.months":                        {"Maanden schorsing", "Mois de suspension"},
	"field.partial":                       {"Gedeeltelijke schorsing", "Suspension partielle"},
	"field.decided_on":                    {"Beslist op", "Décidé le"},
	"field.notified_on":                   {"Ter kennis gebracht op", "Notifié le"},
	"stats.title":                         {"Cijfers", "Statistiques"},
	"stats.from":                          {"Van maand", "Du mois"},
	"stats.to":                            {"Tot en met maand", "Au mois (inclus)"},
	"stats.bad.from":                      {"De eerste maand is geen maand (JJJJ-MM).", "Le premier mois n'est pas un mois (AAAA-MM)."},
	"stats.bad.to":                        {"De laatste maand is geen maand (JJJJ-MM).", "Le dernier mois n'est pas un mois (AAAA-MM)."},
	"stats.bad.range":                     {"Kies 1 tot %d maanden, de laatste niet voor de eerste.", "Choisissez de 1 à %d mois, le dernier pas avant le premier."},
	"stats.sections":                      {"Tabellen", "Tableaux"},
	"stats.trajectories":                  {"Trajecten per maand", "Trajets par mois"},
	"stats.trajectories.caption":          {"Dossiers met leefloon en trajecten op het einde van elke maand, zoals gepubliceerd", "Dossiers au revenu d'intégration et trajets à la fin de chaque mois, tels que publiés"},
	"stats.chart.phases":                  {"Trajecten per fase en per maand (gestapeld), met het aandeel in traject als lijn", "Trajets par phase et par mois (empilés), avec la part en trajet en ligne"},
	"stats.chart.workload":                {"Dossiers per trajectbegeleider", "Dossiers par accompagnateur"},
	"stats.partial":                       {"tot nu", "jusqu'à présent"},
	"stats.col.month":                     {"Maand", "Mois"},
	"stats.col.leefloon":                  {"Leefloondossiers", "Dossiers RI"},
	"stats.col.in_trajectory":             {"In traject", "En trajet"},
	"stats.col.in_trajectory_pct":         {"Aandeel in traject", "Part en trajet"},
	"stats.col.exempt":                    {"Vrijgesteld", "Dispensés"},
	"stats.col.spi":                       {"SPI-dossiers", "Dossiers ISP"},
	"stats.col.spi_pct":                   {"Aandeel SPI", "Part ISP"},
	"stats.outcomes":                      {"Resultaten van artikel 60", "Résultats de l'article 60"},
	"stats.outcomes.caption":              {"Artikel 60-contracten in de periode: begeleid, beëindigd en hoe", "Contrats article 60 de la période : accompagnés, terminés et comment"},
	"stats.col.group":                     {"Groep", "Groupe"},
	"stats.col.supported":                 {"Begeleid", "Accompagnés"},
	"stats.col.ended":                     {"Beëindigd", "Terminés"},
	"stats.col.hired_pct":                 {"Aangeworven door de werkgever", "Engagés par l'employeur"},
	"stats.group.total":                   {"Totaal", "Total"},
	"stats.group.host":                    {"Werkgever", "Employeur"},
	"stats.group.function":                {"Functie", "Fonction"},
	"stats.group.gender":                  {"Geslacht", "Genre"},
	"stats.col.all_centres":               {"Bezet door alle OCMW's", "Occupés par tous les CPAS"},
	"stats.group.centre":                  {"OCMW", "CPAS"},
	"stats.placements":                    {"Plaatsen bij werkgevers", "Places chez les employeurs"},
	"stats.placements.caption":            {"Afgesproken en bezette plaatsen per werkgever en functie op %s, met het aandeel artikel 60 in het personeel tegenover het plafond", "Places convenues et occupées par employeur et fonction au %s, avec la part d'article 60 dans le personnel face au plafond"},
	"stats.col.host":                      {"Werkgever", "Employeur"},
	"stats.col.positions":                 {"Plaatsen", "Places"},
	"stats.col.occupied":                  {"Bezet", "Occupées"},
	"stats.col.open":                      {"Vrij", "Libres"},
	"stats.col.share":                     {"Aandeel / plafond", "Part / plafond"},
	"stats.above_ceiling":                 {"boven het plafond", "au-dessus du plafond"},
	"stats.no_staff":                      {"personeel niet gekend", "personnel inconnu"},
	"stats.workload":                      {"Werklast", "Charge de travail"},
	"stats.workload.caption":              {"Open dossiers, termijnen deze week en achterstallige per trajectbegeleider", "Dossiers ouverts, échéances de la semaine et retards par accompagnateur"},
	"stats.col.caseload":                  {"Open dossiers", "Dossiers ouverts"},
	"stats.col.week":                      {"Deze week", "Cette semaine"},
	"outcome.unknown":                     {"onbekend", "inconnu"},
	"stats.bcsd":                          {"BCSD", "CSSS"},
	"stats.bcsd.caption":                  {"Procedures, hoorzittingen en beslissingen in de periode", "Procédures, auditions et décisions de la période"},
	"stats.bcsd.opened":                   {"Procedures geopend", "Procédures ouvertes"},
	"stats.bcsd.held":                     {"Hoorzittingen gehouden", "Auditions tenues"},
	"stats.bcsd.missed":                   {"Niet verschenen", "Absents"},
	"stats.bcsd.days":                     {"Gemiddeld aantal dagen tot de beslissing", "Nombre moyen de jours jusqu'à la décision"},
	"nav.admin":                           {"Gebruikers", "Utilisateurs"},
	"users.title":                         {"Gebruikers en tokens", "Utilisateurs et jetons"},
	"users.list":                          {"Gebruikers van het OCMW", "Utilisateurs du CPAS"},
	"users.inactive":                      {"niet actief", "inactif"},
	"users.name":                          {"Naam", "Nom"},
	"users.display_name":                  {"Naam", "Nom"},
	"users.email":                         {"E-mailadres", "Adresse e-mail"},
	"users.role":                          {"Rol", "Rôle"},
	"users.language":                      {"Taal", "Langue"},
	"users.active":                        {"Actief (mag zich aanmelden)", "Actif (peut se connecter)"},
	"users.add":                           {"Gebruiker toevoegen", "Ajouter un utilisateur"},
	"users.add.submit":                    {"Toevoegen", "Ajouter"},
	"users.added":                         {"%s is toegevoegd.", "%s a été ajouté."},
	"users.changed":                       {"%s is gewijzigd.", "%s a été modifié."},
	"users.taken":                         {"Dit e-mailadres heeft al een gebruiker.", "Cette adresse e-mail a déjà un utilisateur."},
	"users.self":                          {"U kunt uzelf niet deactiveren of uw beheerdersrol afnemen: vraag het een andere beheerder.", "Vous ne pouvez pas vous désactiver ni retirer votre rôle d'administrateur : demandez-le à un autre administrateur."},
	"users.tokens":                        {"API-tokens", "Jetons API"},
	"users.token.for":                     {"Nieuw token, waarvoor", "Nouveau jeton, pour quoi"},
	"users.token.create":                  {"Token maken", "Créer le jeton"},
	"users.token.name":                    {"Zeg waarvoor het token dient (een actieve gebruiker).", "Indiquez à quoi sert le jeton (un utilisateur actif)."},
	"users.token.created":                 {"Een token voor %s is gemaakt.", "Un jeton pour %s a été créé."},
	"users.token.once":                    {"Het token voor %s. Kopieer het nu: het wordt nooit meer getoond.", "Le jeton pour %s. Copiez-le maintenant : il ne sera plus jamais affiché."},
	"users.token.since":                   {"sinds %s", "depuis le %s"},
	"users.token.used":                    {"laatst gebruikt %s", "utilisé le %s"},
	"users.token.revoke":                  {"Intrekken", "Révoquer"},
	"users.token.revoked":                 {"Het token is ingetrokken.", "Le jeton a été révoqué."},
	"policy.calendar":                     {"Kalender", "Calendrier"},
	"policy.calendar.move_to_working_day": {"Een termijn op een zaterdag, zondag of feestdag schuift naar de volgende werkdag", "Une échéance un samedi, dimanche ou jour férié passe au jour ouvrable suivant"},
	"policy.calendar.extra_holidays":      {"Eigen vrije dagen van het OCMW (JJJJ-MM-DD, door komma's gescheiden)", "Jours de congé propres au CPAS (AAAA-MM-JJ, séparés par des virgules)"},
	"policy.gpmi":                         {"GPMI", "PIIS"},
	"policy.gpmi.sign_within":             {"Ondertekenen binnen (na de beslissing over het leefloon)", "Signer dans les (après la décision de revenu d'intégration)"},
	"policy.gpmi.sign_reminders":          {"Herinneringen voor de ondertekening (voor de termijn)", "Rappels pour la signature (avant l'échéance)"},
	"policy.gpmi.evaluation_every":        {"Evaluatie om de", "Évaluation tous les"},
	"policy.gpmi.face_to_face_per_year":   {"Face-to-face gesprekken per jaar", "Entretiens en face à face par an"},
	"policy.gpmi.evaluation_reminders":    {"Herinneringen voor de evaluatie", "Rappels pour l'évaluation"},
	"policy.article60":                    {"Artikel 60", "Article 60"},
	"policy.article60.working_days":       {"Regels voor de vereiste arbeidsdagen (JSON: vanaf datum, leeftijdsbanden, getelde dagen per week)", "Règles des jours de travail requis (JSON : à partir de, tranches d'âge, jours comptés par semaine)"},
	"policy.article60.attendance_checks_before":    {"Aanwezigheidscontroles voor het einde", "Contrôles de présence avant la fin"},
	"policy.article60.referral_before":             {"Doorverwijzing naar werk voor het einde", "Orientation vers l'emploi avant la fin"},
	"policy.article60.end_reminders":               {"Herinneringen voor het einde van het contract", "Rappels avant la fin du contrat"},
	"policy.article60.training_reminders":          {"Herinneringen voor de opleidingen", "Rappels pour les formations"},
	"policy.article60.host_check_within":           {"Termijn van de werkplaats om een evaluatie te registreren", "Délai de l'organisme d'accueil pour enregistrer une évaluation"},
	"policy.article60.host_check_reminders":        {"Herinneringen aan de werkplaats vóór die termijn", "Rappels à l'organisme d'accueil avant ce délai"},
	"policy.article60.max_share_of_site_staff_pct": {"Hoogste aandeel artikel 60 in het personeel van een vestiging (%)", "Part maximale d'article 60 dans le personnel d'un site (%)"},
	"policy.post_article60":                        {"Opvolging na artikel 60", "Suivi après l'article 60"},
	"policy.post_article60.length":                 {"Duur van de opvolging", "Durée du suivi"},
	"policy.post_article60.check_in_every":         {"Opvolgingsgesprek om de", "Contact de suivi tous les"},
	"policy.post_article60.outcome_reminders":      {"Herinneringen voor het resultaat", "Rappels pour le résultat"},
	"policy.post_article60.outcome_grace":          {"Wachttijd voor het resultaat, daarna afgesloten als onbekend", "Délai pour le résultat, ensuite clôturé comme inconnu"},
	"policy.sanction":                              {"BCSD-procedure", "Procédure CSSS"},
	"policy.sanction.hearing_notice_min":           {"Minimale termijn tussen uitnodiging en hoorzitting", "Délai minimal entre invitation et audition"},
	"policy.sanction.hearing_reminders":            {"Herinneringen voor de hoorzitting", "Rappels pour l'audition"},
	"policy.sanction.decision_within":              {"Beslissing binnen (na de hoorzitting)", "Décision dans les (après l'audition)"},
	"policy.sanction.decision_reminders":           {"Herinneringen voor de beslissing", "Rappels pour la décision"},
	"policy.sanction.notification_within":          {"Kennisgeving binnen (na de beslissing)", "Notification dans les (après la décision)"},
	"policy.sanction.appeal_window":                {"Termijn voor beroep (na de kennisgeving)", "Délai de recours (après la notification)"},
	"policy.sanction.repeat_window":                {"Periode waarin een nieuwe schorsing een herhaling is", "Période où une nouvelle suspension est une récidive"},
	"policy.sanction.max_suspension_months":        {"Langste schorsing (maanden)", "Suspension la plus longue (mois)"},
	"policy.sanction.max_repeat_suspension_months": {"Langste schorsing bij herhaling (maanden)", "Suspension la plus longue en cas de récidive (mois)"},
	"policy.notifications":                         {"Berichten", "Messages"},
	"policy.notifications.retry_for":               {"Een bericht opnieuw proberen gedurende", "Réessayer un message pendant"},
	"policy.notifications.digest_at":               {"Uur van het dagoverzicht (UU:MM)", "Heure du récapitulatif (HH:MM)"},
	"policy.notifications.weekly_digest_on":        {"Dag van het weekoverzicht voor coördinatoren (monday … sunday)", "Jour du récapitulatif hebdomadaire des coordinateurs (monday … sunday)"},
	"policy.notifications.digest_horizon":          {"Het dagoverzicht toont de termijnen binnen", "Le récapitulatif montre les échéances dans les"},
	"policy.retention":                             {"Bewaring", "Conservation"},
	"policy.retention.closed_dossiers":             {"Een afgesloten dossier wordt anoniem na", "Un dossier clôturé devient anonyme après"},
	"policy.title":                                 {"Termijnen van het OCMW", "Délais du CPAS"},
	"policy.intro":                                 {"Versie %d. Een nieuwe versie geldt voor de termijnen die daarna gepland worden; lopende termijnen blijven zoals ze gepland zijn.", "Version %d. Une nouvelle version s'applique aux échéances planifiées ensuite ; les échéances en cours restent telles que planifiées."},
	"policy.periods":                               {"Periodes volgens ISO 8601: P3M is drie maanden, P10D tien dagen, P1M15D een maand en vijftien dagen; lijsten door komma's gescheiden.", "Périodes selon ISO 8601 : P3M vaut trois mois, P10D dix jours, P1M15D un mois et quinze jours ; listes séparées par des virgules."},
	"policy.save":                                  {"Nieuwe versie opslaan", "Enregistrer une nouvelle version"},
	"policy.saved":                                 {"Versie %d is opgeslagen: ze geldt voor termijnen die vanaf nu gepland worden.", "La version %d est enregistrée : elle s'applique aux échéances planifiées à partir de maintenant."},
	"policy.versions":                              {"Versies", "Versions"},
	"policy.version":                               {"Versie", "Version"},
	"policy.by":                                    {"Door", "Par"},
	"policy.changes":                               {"Wijzigingen", "Modifications"},
	"policy.defaults":                              {"Het OCMW gebruikt de wettelijke standaardtermijnen (versie 0).", "Le CPAS utilise les délais légaux par défaut (version 0)."},
	"nav.policy":                                   {"Termijnen", "Délais"},
	"nav.outbox":                                   {"Uitgaande post", "Courrier sortant"},
	"nav.audit":                                    {"Auditlog", "Journal d'audit"},
	"outbox.title":                                 {"Uitgaande post", "Courrier sortant"},
	"outbox.intro":                                 {"Berichten die niet vertrokken zijn of nog wachten, met de reden van de laatste poging. Een bericht wordt opnieuw geprobeerd zolang de termijnen van het OCMW het toelaten.", "Messages qui ne sont pas partis ou qui attendent encore, avec la raison de la dernière tentative. Un message est réessayé tant que les délais du CPAS le permettent."},
	"outbox.failed":                                {"Mislukt", "Échoués"},
	"outbox.pending":                               {"Wachtend", "En attente"},
	"outbox.dossier":                               {"Dossier", "Dossier"},
	"outbox.open":                                  {"dossier openen", "ouvrir le dossier"},
	"outbox.attempts":                              {"Pogingen", "Tentatives"},
	"outbox.reason":                                {"Reden", "Raison"},
	"audit.title":                                  {"Auditlog", "Journal d'audit"},
	"audit.object":                                 {"Object (bv. het nummer van een dossier)", "Objet (p. ex. le numéro d'un dossier)"},
	"audit.actor":                                  {"Gebruiker", "Utilisateur"},
	"audit.action":                                 {"Handeling", "Action"},
	"audit.outcome":                                {"Uitkomst", "Résultat"},
	"audit.search":                                 {"Zoeken", "Rechercher"},
	"audit.bad_object":                             {"Het object mag geen stuurtekens bevatten.", "L'objet ne peut pas contenir de caractères de contrôle."},
	"nav.hosts":                                    {"Werkgevers", "Employeurs"},
	"hosts.title":                                  {"Werkgevers (artikel 60)", "Employeurs (article 60)"},
	"hosts.intro":                                  {"Afgesproken plaatsen per functie en hoeveel er bezet zijn door lopende contracten; het aandeel artikel 60 in het personeel van de vestiging mag %s%% niet overschrijden.", "Places convenues par fonction et combien sont occupées par des contrats en cours ; la part d'article 60 dans le personnel du site ne peut dépasser %s%%."},
	"hosts.occupancy":                              {"Bezetting", "Occupation"},
	"hosts.taken":                                  {"%d van %d bezet", "%d sur %d occupées"},
	"hosts.edit":                                   {"Werkgevers wijzigen", "Modifier les employeurs"},
	"hosts.add":                                    {"Werkgever toevoegen", "Ajouter un employeur"},
	"hosts.archive":                                {"Archiveren", "Archiver"},
	"hosts.archived":                               {"De werkgever is gearchiveerd.", "L'employeur est archivé."},
	"hosts.busy":                                   {"Deze werkgever heeft nog lopende artikel 60-contracten: archiveren kan pas als ze afgelopen zijn.", "Cet employeur a encore des contrats article 60 en cours : l'archivage n'est possible qu'une fois terminés."},
	"hosts.saved":                                  {"%s is opgeslagen.", "%s est enregistré."},
	"hosts.name":                                   {"Naam", "Nom"},
	"hosts.address":                                {"Adres", "Adresse"},
	"hosts.email":                                  {"E-mailadres", "Adresse e-mail"},
	"hosts.staff":                                  {"Personeel van de vestiging (artikel 60 inbegrepen)", "Personnel du site (article 60 compris)"},
	"hosts.language":                               {"Taal", "Langue"},
	"hosts.positions":                              {"Plaatsen per functie", "Places par fonction"},
	"hosts.function":                               {"Functie (code)", "Fonction (code)"},
	"hosts.count":                                  {"Aantal plaatsen", "Nombre de places"},
	"nav.workers":                                  {"Onze werknemers", "Nos travailleurs"},
	"hostworkers.title":                            {"Onze artikel 60-werknemers", "Nos travailleurs article 60"},
	"hostworkers.intro":                            {"De werknemers die bij u geplaatst zijn, van elk OCMW waarmee u samenwerkt, op einddatum van hun contract.", "Les travailleurs placés chez vous, de chaque CPAS avec lequel vous travaillez, par date de fin de leur contrat."},
	"hostworkers.none":                             {"Er zijn nu geen werknemers bij u geplaatst.", "Aucun travailleur n'est placé chez vous pour le moment."},
	"hostworker.title":                             {"Werknemer", "Travailleur"},
	"hostworker.name":                              {"Naam", "Nom"},
	"hostworker.centre":                            {"OCMW", "CPAS"},
	"hostworker.start":                             {"Begin van het contract", "Début du contrat"},
	"hostworker.end":                               {"Einde van het contract", "Fin du contrat"},
	"hostworker.trainings":                         {"Opleidingen", "Formations"},
	"hostworker.training":                          {"Opleiding", "Formation"},
	"hostworker.done":                              {"Gevolgd op", "Suivie le"},
	"hostworker.back":                              {"Terug naar onze werknemers", "Retour à nos travailleurs"},
	"hostworker.record":                            {"Registreren", "Enregistrer"},
	"hostworker.absence.rule":                      {"Dagen die niet meetellen (ziekte zonder loon, ongewettigde afwezigheid, onbetaald verlof, schorsing) verschuiven het einde van het contract: ze moeten ingehaald worden.", "Les jours qui ne comptent pas (maladie sans salaire, absence injustifiée, congé sans solde, suspension) reportent la fin du contrat : ils doivent être rattrapés."},
	"hostworkers.agreements":                       {"Onze overeenkomsten met de OCMW's", "Nos conventions avec les CPAS"},
	"hostworkers.agreements.total":                 {"%d van de %d plaatsen bezet", "%d des %d places occupées"},
	"hostworker.checks":                            {"Evaluaties vóór het einde", "Évaluations avant la fin"},
	"hostworker.checks.intro":                      {"Vier maanden en één maand vóór het einde van het contract beoordeelt u de aanwezigheid, de verworven competenties en de kans op aanwerving. De trajectbegeleider krijgt een melding als een evaluatie te laat is.", "Quatre mois et un mois avant la fin du contrat, vous évaluez la présence, les compétences acquises et les chances d'engagement. L'accompagnateur est averti si une évaluation est en retard."},
	"hostworker.check":                             {"Evaluatie", "Évaluation"},
	"hostworker.check.due":                         {"Te registreren vóór", "À enregistrer avant le"},
	"hostworker.check.late":                        {"te laat", "en retard"},
	"hostworker.problems":                          {"Gemelde problemen", "Problèmes signalés"},
	"hostworker.problems.intro":                    {"Een melding gaat meteen per e-mail naar de trajectbegeleider van het OCMW; de tekst blijft bij het OCMW en bij u.", "Un signalement part tout de suite par e-mail vers l'accompagnateur du CPAS ; le texte reste au CPAS et chez vous."},
	"hostworker.hiring":                            {"Aanwerving na het contract", "Engagement après le contrat"},
	"dossier.hired":                                {"De werkplaats neemt de werknemer in dienst vanaf %s (%s).", "L'organisme d'accueil engage le travailleur à partir du %s (%s)."},
	"hostworker.hired":                             {"In dienst vanaf %s (%s).", "Engagé à partir du %s (%s)."},
	"hostworker.ended":                             {"Het artikel 60-contract is afgelopen; u kunt nog registreren dat u de werknemer in dienst neemt.", "Le contrat article 60 est terminé ; vous pouvez encore enregistrer que vous engagez le travailleur."},
	"hostworker.status.ended":                      {"contract afgelopen", "contrat terminé"},
	"form.record_host_check":                       {"Evaluatie registreren", "Enregistrer une évaluation"},
	"form.signal_problem":                          {"Probleem melden aan de trajectbegeleider", "Signaler un problème à l'accompagnateur"},
	"form.record_hiring":                           {"Wij nemen de werknemer in dienst", "Nous engageons le travailleur"},
	"field.n":                                      {"Welke evaluatie", "Quelle évaluation"},
	"field.attendance":                             {"Aanwezigheid", "Présence"},
	"field.skills":                                 {"Verworven competenties", "Compétences acquises"},
	"field.hiring_chance":                          {"Kans op aanwerving", "Chances d'engagement"},
	"field.category":                               {"Waarover", "À propos de"},
	"field.start":                                  {"In dienst vanaf", "Engagé à partir du"},
	"field.employment":                             {"Soort contract", "Type de contrat"},
	"check.n":                                      {"Evaluatie %d", "Évaluation %d"},
	"check.attendance.good":                        {"goed", "bonne"},
	"check.attendance.irregular":                   {"onregelmatig", "irrégulière"},
	"check.attendance.poor":                        {"onvoldoende", "insuffisante"},
	"check.skills.acquired":                        {"verworven", "acquises"},
	"check.skills.partly":                          {"gedeeltelijk", "en partie"},
	"check.skills.not_yet":                         {"nog niet", "pas encore"},
	"check.hiring_chance.likely":                   {"waarschijnlijk", "probable"},
	"check.hiring_chance.possible":                 {"mogelijk", "possible"},
	"check.hiring_chance.unlikely":                 {"onwaarschijnlijk", "peu probable"},
	"signal.attendance":                            {"aanwezigheid", "présence"},
	"signal.behaviour":                             {"gedrag", "comportement"},
	"signal.health":                                {"gezondheid", "santé"},
	"signal.skills":                                {"competenties", "compétences"},
	"signal.other":                                 {"andere", "autre"},
	"employment.open_ended":                        {"onbepaalde duur", "durée indéterminée"},
	"employment.fixed_term":                        {"bepaalde duur", "durée déterminée"},
	"hostworker.nothing":                           {"Er is hier niets meer te registreren.", "Il n'y a plus rien à enregistrer ici."},
	"role.host":                                    {"werkgever", "employeur"},
	"role.host_admin":                              {"werkgever, beheerder", "employeur, administrateur"},
	"dossier.who":                                  {"Door", "Par"},
	"dossier.system":                               {"traject (termijn)", "traject (échéance)"},
	"attendance.title":                             {"Aanwezigheid", "Présences"},
	"attendance.month":                             {"Maand %s", "Mois %s"},
	"attendance.prev":                              {"Vorige maand", "Mois précédent"},
	"attendance.next":                              {"Volgende maand", "Mois suivant"},
	"attendance.intro":                             {"De dagen die de regel van de arbeidsdagen telt, van het begin van het contract tot vandaag. Een dag die niet meetelt, verschuift het einde van het contract en kan hier niet meer gewijzigd worden.", "Les jours que la règle des jours de travail compte, du début du contrat à aujourd'hui. Un jour qui ne compte pas reporte la fin du contrat et ne peut plus être modifié ici."},
	"attendance.day":                               {"Dag", "Jour"},
	"attendance.status":                            {"Aanwezigheid", "Présence"},
	"attendance.save":                              {"Aanwezigheid opslaan", "Enregistrer les présences"},
	"attendance.saved":                             {"%d dag(en) opgeslagen.", "%d jour(s) enregistré(s)."},
	"attendance.invalid":                           {"Deze dagen konden niet worden opgeslagen: een dag ligt buiten het contract of de toestand is onbekend.", "Ces jours n'ont pas pu être enregistrés : un jour est hors du contrat ou l'état est inconnu."},
	"attendance.none":                              {"—", "—"},
	"attendance.present":                           {"aanwezig", "présent"},
	"attendance.paid_absence":                      {"afwezig, telt mee (betaald)", "absent, compté (payé)"},
	"attendance.unpaid_sickness":                   {"ziek zonder loon (telt niet)", "malade sans salaire (ne compte pas)"},
	"attendance.unjustified":                       {"ongewettigd afwezig (telt niet)", "absence injustifiée (ne compte pas)"},
	"attendance.unpaid_leave":                      {"onbetaald verlof (telt niet)", "congé sans solde (ne compte pas)"},
	"attendance.suspension":                        {"schorsing (telt niet)", "suspension (ne compte pas)"},
	"signin.hosts":                                 {"Medewerkers van een werkgever", "Personnel d'un employeur"},
	"signin.host":                                  {"Aanmelden bij %s", "Se connecter chez %s"},
	"nav.report":                                   {"Jaarverslag", "Rapport annuel"},
	"hostreport.title":                             {"Ons artikel 60-verslag", "Notre rapport article 60"},
	"hostreport.intro":                             {"Uw artikel 60-werknemers van alle OCMW's waarmee u werkt: wie u begeleidde, wiens contract afliep en wie u daarna in dienst nam, zoals u en de OCMW's het registreerden.", "Vos travailleurs article 60 de tous les CPAS avec lesquels vous travaillez : qui vous avez accompagné, dont le contrat a pris fin et que vous avez engagé ensuite, tels que vous et les CPAS l'avez enregistré."},
	"hostreport.caption":                           {"Begeleid: met een contract bij u in de periode; afgelopen: contracten die in de periode eindigden; in dienst: van die contracten, wie u daarna aanwierf.", "Accompagnés : avec un contrat chez vous pendant la période ; terminés : contrats qui ont pris fin pendant la période ; engagés : parmi ces contrats, ceux que vous avez engagés ensuite."},
	"hostreport.hired_pct":                         {"Aandeel in dienst genomen", "Part engagée"},
	"hostreport.hired":                             {"In dienst genomen", "Engagés"},
	"nav.sheet":                                    {"Aanwezigheidsstaat", "Relevé des présences"},
	"sheet.title":                                  {"Aanwezigheidsstaat", "Relevé des présences"},
	"sheet.month":                                  {"Maand", "Mois"},
	"sheet.nocentre":                               {"Kies een OCMW waarmee u een overeenkomst hebt.", "Choisissez un CPAS avec lequel vous avez une convention."},
	"sheet.legend":                                 {"De dagen die de regel van de arbeidsdagen telt. A: aanwezig, B: afwezig maar betaald (telt mee), Z: ziek zonder loon, O: ongewettigd, V: onbetaald verlof, S: schorsing (tellen niet).", "Les jours que la règle des jours de travail compte. P : présent, R : absent rémunéré (compte), M : malade sans salaire, I : injustifié, C : congé sans solde, S : suspension (ne comptent pas)."},
	"sheet.paid":                                   {"betaald afwezig", "absent rémunéré"},
	"sheet.notcounting":                            {"telt niet", "ne compte pas"},
	"sheet.code.present":                           {"A", "P"},
	"sheet.code.paid_absence":                      {"B", "R"},
	"sheet.code.unpaid_sickness":                   {"Z", "M"},
	"sheet.code.unjustified":                       {"O", "I"},
	"sheet.code.unpaid_leave":                      {"V", "C"},
	"sheet.code.suspension":                        {"S", "S"},
	"nav.team":                                     {"Team", "Équipe"},
	"team.title":                                   {"Team", "Équipe"},
	"team.intro":                                   {"Per trajectbegeleider: de dossiers, die met een verstreken volgende termijn en die met een termijn binnen 7 dagen. Elk getal opent zijn lijst.", "Par accompagnateur : les dossiers, ceux dont la prochaine échéance est dépassée et ceux dont l'échéance tombe dans les 7 jours. Chaque nombre ouvre sa liste."},
	"team.dossiers":                                {"Dossiers", "Dossiers"},
	"team.link":                                    {"%d dossiers van %s", "%d dossiers de %s"},
	"team.link.overdue":                            {"%d dossiers van %s te laat", "%d dossiers de %s en retard"},
	"team.link.week":                               {"%d dossiers van %s binnen 7 dagen", "%d dossiers de %s dans les 7 jours"},
	"team.reassign":                                {"Aangevinkte dossiers overdragen aan", "Transférer les dossiers cochés à"},
	"team.reassign.submit":                         {"Overdragen", "Transférer"},
	"team.reassign.none":                           {"Kies dossiers en een trajectbegeleider.", "Choisissez des dossiers et un accompagnateur."},
	"team.reassign.done":                           {"%d dossier(s) overgedragen, %d niet.", "%d dossier(s) transféré(s), %d non."},
	"team.select":                                  {"Kies %s", "Choisir %s"},
	"dossier.mail":                                 {"Berichten", "Messages"},
	"dossier.mail.what":                            {"Bericht", "Message"},
	"dossier.mail.to":                              {"Aan", "À"},
	"dossier.mail.status":                          {"Stand", "État"},
	"mail.pending":                                 {"nog niet verstuurd", "pas encore envoyé"},
	"mail.sent":                                    {"verstuurd", "envoyé"},
	"mail.failed":                                  {"niet bezorgd", "non remis"},
	"mail.reminder":                                {"herinnering", "rappel"},
	"mail.overdue":                                 {"termijn verstreken", "échéance dépassée"},
	"mail.digest":                                  {"overzicht", "récapitulatif"},
	"dossier.title":                                {"Dossier", "Dossier"},
	"dossier.sections":                             {"Onderdelen van het dossier", "Parties du dossier"},
	"dossier.phase":                                {"Fase", "Phase"},
	"dossier.since":                                {"sinds %s", "depuis le %s"},
	"dossier.counsellor":                           {"Trajectbegeleider", "Accompagnateur"},
	"dossier.next":                                 {"Volgende stap", "Prochaine étape"},
	"dossier.next.by":                              {"%s, uiterlijk %s", "%s, au plus tard le %s"},
	"dossier.none":                                 {"geen", "aucune"},
	"dossier.pending":                              {"Het traject start; de eerste stand volgt binnen enkele seconden.", "Le trajet démarre ; son premier état suit dans quelques secondes."},
	"dossier.suspended":                            {"Leefloon geschorst van %s tot %s", "Revenu d'intégration suspendu du %s au %s"},
	"dossier.deadlines":                            {"Termijnen", "Échéances"},
	"dossier.reminders":                            {"Herinneringen", "Rappels"},
	"dossier.sent":                                 {"verstuurd", "envoyé"},
	"dossier.planned":                              {"gepland", "prévu"},
	"dossier.rule":                                 {"Regel", "Règle"},
	"dossier.policy":                               {"beleid versie %d", "politique version %d"},
	"dossier.gpmi":                                 {"GPMI", "PIIS"},
	"dossier.signed":                               {"Ondertekend op", "Signé le"},
	"dossier.unsigned":                             {"Nog niet ondertekend", "Pas encore signé"},
	"dossier.evaluations":                          {"Evaluaties", "Évaluations"},
	"dossier.f2f":                                  {"face-to-face", "en face à face"},
	"dossier.amendments":                           {"Wijzigingen", "Modifications"},
	"dossier.contract":                             {"Artikel 60-contract", "Contrat article 60"},
	"dossier.function":                             {"Functie", "Fonction"},
	"dossier.start":                                {"Begin", "Début"},
	"dossier.end":                                  {"Einde", "Fin"},
	"dossier.end.rule":                             {"%d vereiste arbeidsdagen (regel vanaf %s, leeftijd bij de start %d, %d dagen per week) en %d niet-meetellende dagen", "%d jours de travail requis (règle depuis le %s, âge au début %d, %d jours par semaine) et %d jours non comptés"},
	"dossier.end.set":                              {"vastgelegd door een coördinator", "fixée par un coordinateur"},
	"dossier.trainings":                            {"Opleidingen", "Formations"},
	"dossier.done":                                 {"gevolgd op %s", "suivie le %s"},
	"dossier.followup":                             {"Opvolging na artikel 60", "Suivi après l'article 60"},
	"dossier.checkins":                             {"Contactmomenten", "Contacts"},
	"dossier.bcsd":                                 {"BCSD", "CSSS"},
	"dossier.procedures":                           {"%d procedure(s), lopend: %s", "%d procédure(s), en cours : %s"},
	"dossier.timeline":                             {"Tijdlijn", "Historique"},
	"dossier.when":                                 {"Wanneer", "Quand"},
	"dossier.event":                                {"Gebeurtenis", "Événement"},
	"dossier.change":                               {"Verandering", "Changement"},
	"dossier.more":                                 {"Oudere gebeurtenissen", "Événements suivants"},
}

// fieldDetails are the field problems of casework and the workflows (in
// English, as the API answers them) as the pages say them.
var fieldDetails = map[string]message{
	"is required":                     {"is verplicht", "est obligatoire"},
	"must be a date as YYYY-MM-DD":    {"moet een datum zijn", "doit être une date"},
	"must be a whole number":          {"moet een geheel getal zijn", "doit être un nombre entier"},
	"may not hold control characters": {"mag geen stuurtekens bevatten", "ne peut pas contenir de caractères de contrôle"},
	"must be between 1 and 366":       {"moet tussen 1 en 366 liggen", "doit être entre 1 et 366"},
}

// fieldDetail says a field's problem in the page's language; one without a
// translation is shown as it came.
func fieldDetail(lang, detail string) string {
	m, ok := fieldDetails[detail]
	switch {
	case !ok:
		return detail
	case lang == "fr":
		return m.fr
	}
	return m.nl
}

// eventLabel names a timeline event; a kind without a message shows as it
// is stored.
func eventLabel(lang, kind string) string {
	if _, ok := messages["event."+kind]; ok {
		return t(lang, "event."+kind)
	}
	return kind
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
func longDate(lang string, at any) string {
	d, ok := asTime(at)
	if !ok {
		return ""
	}
	day := fmt.Sprint(d.Day())
	if lang == "fr" && d.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, months[lang][d.Month()-1], d.Year())
}

// dueDay is the day a deadline falls on: it passes at the end of that day
// (the instant kept is the midnight after it), or at a time on it (a task
// on its date at 08:00), so the day is the one just before the instant.
func dueDay(due any) time.Time {
	d, ok := asTime(due)
	if !ok {
		return time.Time{}
	}
	return d.Add(-time.Minute)
}

// shortDate is the numeric form both languages use in Belgium: 02/12/2026.
func shortDate(at any) string {
	d, ok := asTime(at)
	if !ok {
		return ""
	}
	return d.Format("02/01/2006")
}

// clock is the time of day in Brussels: 14:05.
func clock(at any) string {
	d, ok := asTime(at)
	if !ok {
		return ""
	}
	return d.Format("15:04")
}

// asTime reads a time or a pointer to one, in Brussels.
func asTime(at any) (time.Time, bool) {
	switch v := at.(type) {
	case time.Time:
		return v.In(brussels), true
	case *time.Time:
		if v != nil {
			return v.In(brussels), true
		}
	}
	return time.Time{}, false
}

// mailKind names a message: the deadline it is about and whether it
// reminds or tells that it passed.
func mailKind(lang, kind string) string {
	for suffix, key := range map[string]string{"_reminder": "mail.reminder", "_overdue": "mail.overdue"} {
		if base, ok := strings.CutSuffix(kind, suffix); ok {
			return notify.Label(base, lang) + ": " + t(lang, key)
		}
	}
	if strings.HasPrefix(kind, "digest_") {
		return t(lang, "mail.digest")
	}
	return kind
}

// brussels is where the dates of the pages are read: every centre is in
// Belgium (a centre's policy names the same zone).
var brussels = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return time.UTC
	}
	return loc
}()
