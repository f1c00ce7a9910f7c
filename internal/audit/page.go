package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"provim/internal/clock"
	"provim/internal/store"
)

// Reading the log for people (issue 11, part B): filters named in
// Albanian, pages with the total, and each entry's change written out as
// "field: before → after".

// Filter narrows QueryPage. Every field is optional.
type Filter struct {
	Type   string // object type, e.g. "student"
	ID     string // object id
	Actor  string // username of who made the change
	Action string
	From   time.Time // entries at or after
	To     time.Time // entries before
	Offset int
	Limit  int // 1–1000, 100 when absent
}

func (f Filter) query() store.Query {
	var q store.Query
	if f.Type != "" {
		q.Add("object_type = ?", f.Type)
	}
	if f.ID != "" {
		q.Add("object_id = ?", f.ID)
	}
	if f.Actor != "" {
		q.Add("actor = ?", f.Actor)
	}
	if f.Action != "" {
		q.Add("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q.Add("at >= ?", f.From.UTC().Format(time.RFC3339Nano))
	}
	if !f.To.IsZero() {
		q.Add("at < ?", f.To.UTC().Format(time.RFC3339Nano))
	}
	return q
}

// QueryPage lists one page of the entries f selects, newest first, with
// how many it selects in all.
func QueryPage(ctx context.Context, db *sql.DB, f Filter) ([]Entry, int, error) {
	q := f.query()
	var total int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`+q.Where(), q.Args()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("audit: count: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	page := ` ORDER BY seq DESC LIMIT ` + q.Arg(limit) + ` OFFSET ` + q.Arg(max(f.Offset, 0))
	rows, err := db.QueryContext(ctx, `SELECT seq, at, actor, role, action, object_type, object_id, before, after, prev_hash, hash FROM audit_log`+q.Where()+page, q.Args()...)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: query: %w", err)
	}
	out, err := store.Collect(rows, func(r store.Scanner) (Entry, error) {
		var e Entry
		var at string
		err := r.Scan(&e.Seq, &at, &e.Actor, &e.Role, &e.Action, &e.ObjectType, &e.ObjectID,
			&e.Before, &e.After, &e.PrevHash, &e.Hash)
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		return e, err
	})
	return out, total, err
}

// Types lists the object types the log holds, for the filter of the page.
func Types(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT object_type FROM audit_log`)
	if err != nil {
		return nil, fmt.Errorf("audit: types: %w", err)
	}
	out, err := store.Collect(rows, func(r store.Scanner) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
	sort.Slice(out, func(i, j int) bool { return TypeLabel(out[i]) < TypeLabel(out[j]) })
	return out, err
}

// typeLabels name the objects of the log in Albanian.
var typeLabels = map[string]string{
	"user": "Përdorues", "login": "Hyrje në sistem", "student": "Nxënës / kandidat", "school": "Shkollë",
	"staff": "Punonjës", "venue": "Qendër provimi", "room": "Sallë", "unit": "DAR/ZA",
	"application": "Formular aplikimi", "applications": "Formularë aplikimi", "school_submission": "Dërgim i shkollës",
	"unit_submission": "Dërgim i DAR/ZA-së", "final_lists": "Listat përfundimtare", "study_programmes": "Programet e studimit",
	"a2_form": "Formular A2", "exam_year": "Viti i provimit", "year": "Viti i provimit",
	"venue_inspection": "Inspektim i qendrës", "venue_list": "Lista e qendrave", "exam_plan": "Plani i provimit",
	"draw": "Short", "draw_pool": "Lista e shortit", "staff_declaration": "Deklaratë e stafit",
	"custody_consignment": "Dërgesë materialesh", "custody_package": "Paketë materialesh", "custody_handover": "Dorëzim materialesh",
	"scope_refusal": "Kërkesë jashtë fushës", "candidate": "Kandidat në provim", "examday_event": "Ngjarje në ditën e provimit",
	"examday_venue": "Qendra në ditën e provimit", "anonym_room": "Sekretimi i sallës", "anonym_exam": "Sekretimi i provimit",
	"marking_test": "Testi dhe skema e vlerësimit", "marking_marker": "Vlerësues", "marking_booklet": "Test-broshurë (me kod)",
	"marking_exam": "Vlerësimi i provimit", "marking_case": "Rast i KOPOTED", "marking_sample": "Kampion i monitorimit",
	"marking_batch": "Grup vlerësimesh", "a2": "Formular A2", "students": "Nxënës / kandidatë", "sessions": "Seanca",
	"certificate": "Dëftesë pjekurie", "result": "Rezultat", "results_exam": "Rezultatet e provimit",
	"results_pages": "Faqet e rezultateve", "results_page_html": "Faqet e rezultateve (të përgatitura)",
	"remark_request": "Kërkesë për rivlerësim", "remark_booklet": "Test-broshurë në rivlerësim", "remark_exam": "Rivlerësimi i provimit",
	"remark_copy": "Kërkesë për kopjen e testit",
}

// TypeLabel is the Albanian name of an object type; an unknown one is
// written with spaces for its underscores.
func TypeLabel(t string) string {
	if l, ok := typeLabels[t]; ok {
		return l
	}
	return strings.ReplaceAll(t, "_", " ")
}

// actionLabels name the actions of the log in Albanian.
var actionLabels = map[string]string{
	"create": "krijoi", "update": "ndryshoi", "delete": "fshiu", "save": "ruajti", "import": "importoi",
	"login": "hyri", "login_failed": "hyrje e dështuar", "login_throttled": "hyrje e kufizuar përkohësisht",
	"logout": "doli", "token_issue": "mori token API", "token_revoke": "mbylli token API",
	"password_change": "ndryshoi fjalëkalimin", "password_reset": "rivendosi fjalëkalimin",
	"activate": "aktivizoi llogarinë", "activation_issued": "lëshoi kod aktivizimi",
	"open": "hapi", "close": "mbylli", "send": "dërgoi", "send_to_kmsh": "dërgoi në KMSH", "send_to_ava": "dërgoi në AVA",
	"assign_school": "caktoi shkollën", "assign_room": "caktoi sallën", "assign_registration_numbers": "caktoi numrat e regjistrimit",
	"build_final_lists": "ndërtoi listat përfundimtare", "set_grades": "vendosi notat", "record_results": "regjistroi rezultatet",
	"record_exclusion": "regjistroi përjashtim", "correct_listed": "korrigjoi kandidat në listë",
	"inspect": "inspektoi", "plan": "planifikoi", "override": "ndryshoi planin", "drop_unlisted": "hoqi të palistuarit",
	"room_seats":  "ndryshoi vendet e sallës",
	"draw.commit": "publikoi angazhimin e shortit", "draw.run": "hodhi shortin", "draw.pool.add": "shtoi në listën e shortit",
	"draw.pool.remove": "hoqi nga lista e shortit", "draw.declaration": "regjistroi deklaratë",
	"record": "regjistroi", "confirm": "konfirmoi", "refuse_out_of_scope": "u refuzua jashtë fushës",
	"check_in": "regjistroi hyrjen", "leave": "regjistroi daljen", "exclude": "përjashtoi", "record_event": "regjistroi ngjarje",
	"refuse_entry": "refuzoi hyrjen",
	"marking.test": "ruajti testin", "marking.settle": "mbylli testin për ndryshime", "marking.publish_scheme": "shpalli skemën e vlerësimit",
	"marking.appoint": "emëroi vlerësues", "marking.qualify": "vendosi për kualifikimin", "marking.stop": "ndaloi vlerësuesin",
	"marking.register": "regjistroi test-broshurat", "marking.allocate": "shpërndau test-broshurat", "marking.mark": "vlerësoi",
	"marking.third": "caktoi vlerësuesin e tretë", "marking.return": "ktheu për rivlerësim", "marking.report": "raportoi dyshim kopjimi",
	"marking.finding": "regjistroi konstatimin e KOPOTED", "marking.decision": "regjistroi vendimin e MASH", "marking.close": "mbylli vlerësimin",
	"marking.sample": "hodhi kampionin e monitorimit", "marking.entry": "hodhi fletën e vlerësimit",
	"marking.scan": "ngarkoi skanimet",
	"file_a1":      "dorëzoi formularin A1", "file_a2": "dorëzoi formularin A2", "correct": "korrigjoi", "verify": "verifikoi",
	"mark_failing": "shënoi nxënës mbetës", "register_special": "regjistroi në kategori të veçantë",
	"send_failing_to_ava": "dërgoi nxënësit mbetës në AVA", "send_lists_to_ava": "dërgoi listat në AVA",
	"pack":            "paketoi materialet e qendrës",
	"anonym_generate": "krijoi kodet e sekretimit", "anonym_attach": "ngjiti etiketat e kodit", "anonym_seal_unused": "vulosi kodet e papërdorura",
	"anonym_key": "ndau çelësin e lidhjes kod–kandidat", "anonym_share_presented": "paraqiti pjesën e vet të çelësit",
	"anonym_open":     "hapi lidhjen kod–kandidat",
	"results.compute": "llogariti rezultatet", "results.publish": "shpalli rezultatet", "results.remark": "zbatoi rezultatin e rivlerësimit",
	"results.session2_send": "dërgoi listën e sesionit të dytë",
	"remark.file":           "paraqiti kërkesë për rivlerësim", "remark.forward.school": "përcolli kërkesat te KMSH",
	"remark.forward.kmsh": "përcolli kërkesat te AVA", "remark.refuse": "refuzoi kërkesën për rivlerësim",
	"remark.start": "nisi rivlerësimin", "remark.mark": "rivlerësoi", "remark.third": "caktoi rivlerësuesin e tretë",
	"remark.send":       "dërgoi rezultatet e rivlerësimit",
	"certificate.issue": "lëshoi dëftesën", "certificate.revoke": "revokoi dëftesën",
}

// ActionLabel is the Albanian name of an action.
func ActionLabel(a string) string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return strings.ReplaceAll(a, "_", " ")
}

// ActionLabels is every action with a name, for the filter of the page,
// in Albanian order of the names.
func ActionLabels() [][2]string {
	out := make([][2]string, 0, len(actionLabels))
	for k, v := range actionLabels {
		out = append(out, [2]string{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][1] < out[j][1] })
	return out
}

// fieldLabels name the fields of the before and after images.
var fieldLabels = map[string]string{
	"username": "përdoruesi", "full_name": "emri", "role": "roli", "disabled": "çaktivizuar", "status": "gjendja",
	"first_name": "emri", "last_name": "mbiemri", "father_name": "atësia", "personal_no": "nr. personal",
	"birth_date": "datëlindja", "school_code": "shkolla", "unit_code": "DAR/ZA", "venue_code": "qendra",
	"class_name": "klasa", "average_grade": "mesatarja", "category": "kategoria", "phone": "telefoni",
	"name": "emri", "code": "kodi", "city": "qyteti", "address": "adresa", "seats": "vende", "floor": "kati",
	"floors": "kate", "reason": "arsyeja", "address_key": "adresa", "expires": "skadon", "sessions_ended": "seanca të mbyllura",
	"tokens_ended": "token-a të mbyllur", "known_address": "adresë e njohur", "via": "mënyra", "reg_no": "nr. regjistrimi",
	"exam": "provimi", "year": "viti", "session": "sesioni", "room": "salla", "position": "pozicioni", "subjects": "lëndët",
	"subject": "lënda", "student_id": "nxënësi", "staff_id": "punonjësi", "created_at": "krijuar më", "by_letter": "me letër",
}

// valueLabels name the coded values of some fields, registered by the
// packages that own them (LabelValues): a role as people call it.
var valueLabels = map[string]func(string) string{}

// LabelValues names the values of field in the audit page's changes with
// name, which returns "" for a value it does not know. The owner of the
// field calls it once, at start (init).
func LabelValues(field string, name func(string) string) { valueLabels[field] = name }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Change is one field of an entry, before and after, in words.
type Change struct {
	Field, Before, After string
}

// Changes writes out what an entry changed: each top-level field of its
// before and after images whose value differs, in the order of the field
// names, with booleans as Po/Jo and absent values as "—".
func Changes(e Entry) []Change {
	before, after := fields(e.Before), fields(e.After)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []Change
	for _, k := range names {
		// A database id means nothing to a reader: the entry's object
		// already says what changed, by its public key.
		if k == "id" || strings.HasSuffix(k, "_id") {
			continue
		}
		b, a := words(before[k]), words(after[k])
		if name, ok := valueLabels[k]; ok {
			b, a = or(name(b), b), or(name(a), a)
		}
		if _, had := before[k]; had && b == a {
			continue
		}
		label := k
		if l, ok := fieldLabels[k]; ok {
			label = l
		}
		out = append(out, Change{Field: label, Before: b, After: a})
	}
	return out
}

func fields(raw string) map[string]json.RawMessage {
	if raw == "" {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		// Not an object: the whole value is one field.
		return map[string]json.RawMessage{"vlera": json.RawMessage(raw)}
	}
	return m
}

// words writes a JSON value for people.
func words(v json.RawMessage) string {
	if len(v) == 0 || string(v) == "null" {
		return "—"
	}
	var x any
	if err := json.Unmarshal(v, &x); err != nil {
		return string(v)
	}
	switch t := x.(type) {
	case bool:
		if t {
			return "Po"
		}
		return "Jo"
	case string:
		if t == "" {
			return "—"
		}
		if at, err := time.Parse(time.RFC3339Nano, t); err == nil {
			return clock.Format(at)
		}
		return t
	case float64:
		if t == float64(int64(t)) {
			return strconv.FormatInt(int64(t), 10)
		}
		return strings.ReplaceAll(strconv.FormatFloat(t, 'f', -1, 64), ".", ",")
	case []any:
		parts := make([]string, len(t))
		for i, p := range t {
			b, _ := json.Marshal(p)
			parts[i] = words(b)
		}
		if len(parts) == 0 {
			return "—"
		}
		return strings.Join(parts, ", ")
	}
	return string(v)
}
