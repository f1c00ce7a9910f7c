package perftest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"provim/internal/store"
)

// growing are the tables that grow with the country: one row (or more)
// per candidate, teacher, account, session, change or seat. A student's
// page may only reach them through an index. The others (units, exam
// years, the study-programme catalogue, …) stay small whatever the
// country's size.
var growing = map[string]bool{
	"students": true, "staff": true, "users": true, "sessions": true, "api_tokens": true,
	"audit_log": true, "applications": true, "application_history": true, "a2_forms": true,
	"prior_results": true, "exam_exclusions": true, "final_lists": true, "exam_seats": true,
	"draw_pool": true, "staff_declarations": true, "draw_assignments": true,
	"schools": true, "venues": true, "rooms": true, "venue_room_capacity": true, "exam_plan_groups": true,
	"custody_packages": true, "custody_handovers": true, "custody_consignments": true,
	"session_revocations": true,
}

// broad are the columns that split a growing table into parts that still
// grow with the country (every seat of the year, every form of a kind): an
// index search constrained by these alone reads a country-sized range.
var broad = map[string]bool{"year": true, "session": true, "exam": true, "form": true, "status": true, "category": true,
	"role": true, "kind": true, "active": true, "source": true, "failing": true, "disabled": true}

// narrow reports whether an index constraint names a column outside broad.
func narrow(cols []string) bool {
	for _, c := range cols {
		if !broad[strings.ToLower(c)] {
			return true
		}
	}
	return false
}

// studentPages are the pages a candidate opens: the dashboard, forms A1
// and A2 with their history, the A1 receipt, the own record, the venue.
var studentPages = []string{"/paneli", "/formulari", "/formulari/deshmi", "/formulari/a2", "/nxenesit", "/qendra-ime", "/llogaria"}

// statementBudget is the most statements each student page may send
// (/nxenesit counts its redirect's as well): a page that starts reading
// the same row twice (the form, once for the page and once again for its
// history or its A2) fails here. The session costs none: its cookie is
// signed (auth/signed.go); what a server reads once per period, whichever
// page comes then (pageStatements), is not counted, but explained like
// every other read.
var statementBudget = map[string]int{"/paneli": 6, "/formulari": 3, "/formulari/deshmi": 3, "/formulari/a2": 4,
	"/nxenesit": 1, "/qendra-ime": 7, "/llogaria": 0}

// pageStatements are stmts without the reads a server makes once per
// period whichever page comes then: the revocations (auth.RevocationLag)
// and the active year (examyear's ActiveTTL).
func pageStatements(stmts []statement) []statement {
	var out []statement
	for _, st := range stmts {
		if !strings.Contains(st.SQL, "session_revocations") && !strings.Contains(st.SQL, "session_epoch") &&
			!strings.Contains(st.SQL, "FROM exam_years WHERE active") {
			out = append(out, st)
		}
	}
	return out
}

// TestStudentPages_EveryReadIsAnIndexLookup serves each student page
// on a small demo country at the eve of D1, records every statement
// the page sends, and EXPLAINs each read on the engine of the run: a
// full scan of a growing table fails, whatever the table's size today
// (on PostgreSQL with sequential scans disabled, so the planner shows
// whether an index can serve the query at all).
func TestStudentPages_EveryReadIsAnIndexLookup(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 600)
	cookie := w.student(t, 7)
	seen := map[string]statement{}
	var order []string
	for _, page := range studentPages {
		path := page
		w.rec.start()
		code, loc := w.get(cookie, path)
		if code == 303 && strings.HasPrefix(loc, "/") { // the own record's page
			path = loc
			code, _ = w.get(cookie, path)
		}
		stmts := w.rec.stop()
		if code != 200 {
			t.Errorf("GET %s: %d", path, code)
		}
		for _, st := range stmts {
			if _, ok := seen[st.SQL]; !ok {
				seen[st.SQL] = st
				order = append(order, st.SQL)
			}
		}
		counted := pageStatements(stmts)
		t.Logf("GET %s: %d statements", path, len(counted))
		if len(counted) > statementBudget[page] {
			t.Errorf("GET %s sent %d statements, its budget is %d:", path, len(counted), statementBudget[page])
			for _, st := range counted {
				t.Logf("  %s", oneLine(st.SQL))
			}
		}
	}
	if len(order) == 0 {
		t.Fatal("the student pages sent no statement: is the recorder wired?")
	}
	ctx := context.Background()
	for _, q := range order {
		st := seen[q]
		if !isRead(q) {
			t.Errorf("a student's GET page writes: %s", oneLine(q))
			continue
		}
		scans, plan, err := explain(ctx, w.base, st)
		if err != nil {
			t.Errorf("EXPLAIN %s: %v", oneLine(q), err)
			continue
		}
		if testing.Verbose() {
			t.Logf("%s\n%s", oneLine(q), plan)
		}
		if len(scans) > 0 {
			t.Errorf("scan of %s in a student page's query\n  %s\nplan:\n%s", strings.Join(scans, ", "), oneLine(q), plan)
		}
	}
}

func isRead(q string) bool {
	q = strings.ToUpper(strings.TrimSpace(q))
	return strings.HasPrefix(q, "SELECT") || strings.HasPrefix(q, "WITH")
}

func oneLine(q string) string { return strings.Join(strings.Fields(q), " ") }

// explain returns the growing tables q scans, and its plan as text.
func explain(ctx context.Context, db *store.DB, st statement) ([]string, string, error) {
	if db.Dialect == store.Postgres {
		return explainPostgres(ctx, db, st)
	}
	return explainSQLite(ctx, db, st)
}

// aliasRE finds "FROM t a", "JOIN t AS a", so SQLite's plan, which names
// a table by its alias, can be read back to the table.
var aliasRE = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)(?:\s+(?:AS\s+)?([a-z_][a-z0-9_]*))?`)

var keywords = map[string]bool{"where": true, "join": true, "left": true, "inner": true, "on": true, "order": true,
	"group": true, "limit": true, "cross": true, "using": true, "union": true, "natural": true, "outer": true}

func tablesOf(q string) map[string]string {
	out := map[string]string{}
	for _, m := range aliasRE.FindAllStringSubmatch(q, -1) {
		table := strings.ToLower(m[1])
		out[table] = table
		if a := strings.ToLower(m[2]); a != "" && !keywords[a] {
			out[a] = table
		}
	}
	return out
}

// sqliteScan is a plan line that reads a whole table or index: "SCAN t",
// "SCAN t USING INDEX i", "SCAN t AS a" (a SEARCH uses an index's keys).
var sqliteScan = regexp.MustCompile(`^SCAN (\S+)(?: AS (\S+))?`)

// sqliteSearch is a plan line that reads through an index's keys, with the
// columns it constrains: "SEARCH t USING INDEX i (year=? AND student_id=?)".
var (
	sqliteSearch = regexp.MustCompile(`^SEARCH (\S+)(?: AS \S+)? USING .*\((.*)\)`)
	constraintRE = regexp.MustCompile(`([a-z_][a-z0-9_]*)\s*(?:=|>|<|IN\b)`)
	pgColumnRE   = regexp.MustCompile(`([a-z_][a-z0-9_]*)\s*(?:=|>|<|~~)`)
)

func columns(re *regexp.Regexp, cond string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(cond, -1) {
		out = append(out, m[1])
	}
	return out
}

func explainSQLite(ctx context.Context, db *store.DB, st statement) ([]string, string, error) {
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+st.SQL, st.Args...)
	if err != nil {
		return nil, "", err
	}
	lines, err := store.Collect(rows, func(r store.Scanner) (string, error) {
		var id, parent, unused int
		var detail string
		err := r.Scan(&id, &parent, &unused, &detail)
		return detail, err
	})
	if err != nil {
		return nil, "", err
	}
	names := tablesOf(st.SQL)
	var scans []string
	for _, l := range lines {
		var table string
		if m := sqliteScan.FindStringSubmatch(l); m != nil {
			table = m[1]
		} else if m := sqliteSearch.FindStringSubmatch(l); m != nil && !narrow(columns(constraintRE, m[2])) {
			table = m[1]
		} else {
			continue
		}
		table = strings.ToLower(table)
		if t, ok := names[table]; ok {
			table = t
		}
		if growing[table] {
			scans = append(scans, table)
		}
	}
	return scans, "  " + strings.Join(lines, "\n  "), nil
}

func explainPostgres(ctx context.Context, db *store.DB, st statement) ([]string, string, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, "", err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
		return nil, "", err
	}
	defer c.ExecContext(ctx, `RESET enable_seqscan`)
	var js string
	if err := c.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+st.SQL, st.Args...).Scan(&js); err != nil {
		return nil, "", err
	}
	var plans []struct {
		Plan pgNode `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(js), &plans); err != nil {
		return nil, "", err
	}
	var nodes []*pgNode
	for i := range plans {
		plans[i].Plan.walk(0, func(n *pgNode, depth int) {
			n.depth = depth
			nodes = append(nodes, n)
		})
	}
	var scans []string
	var text strings.Builder
	for _, n := range nodes {
		fmt.Fprintf(&text, "%s%s %s %s %s\n", strings.Repeat("  ", n.depth+1), n.NodeType, n.Relation, n.Index, n.IndexCond)
		switch n.NodeType {
		case "Seq Scan":
			if growing[n.Relation] {
				scans = append(scans, n.Relation)
			}
		case "Index Scan", "Index Only Scan", "Bitmap Index Scan":
			table, cols, err := indexColumns(ctx, c, n.Index)
			if err != nil {
				return nil, "", err
			}
			if growing[table] && !narrow(usablePrefix(cols, columns(pgColumnRE, n.IndexCond))) {
				scans = append(scans, fmt.Sprintf("%s (index %s, keys used: %v)", table, n.Index, usablePrefix(cols, columns(pgColumnRE, n.IndexCond))))
			}
		}
	}
	return scans, text.String(), nil
}

// indexColumns returns the table of an index and its key columns in order.
func indexColumns(ctx context.Context, c *sql.Conn, index string) (string, []string, error) {
	rows, err := c.QueryContext(ctx, `SELECT t.relname, a.attname FROM pg_index i
		JOIN pg_class t ON t.oid = i.indrelid
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
		WHERE i.indexrelid = $1::regclass
		ORDER BY array_position(i.indkey::int2[], a.attnum)`, index)
	if err != nil {
		return "", nil, err
	}
	var table string
	cols, err := store.Collect(rows, func(r store.Scanner) (string, error) {
		var col string
		err := r.Scan(&table, &col)
		return col, err
	})
	return table, cols, err
}

// usablePrefix is the leading index columns the condition constrains: a
// B-tree is searched by its prefix; a condition on a later column after a
// gap only filters the range the prefix selects.
func usablePrefix(index, cond []string) []string {
	in := map[string]bool{}
	for _, c := range cond {
		in[c] = true
	}
	var out []string
	for _, c := range index {
		if !in[c] {
			break
		}
		out = append(out, c)
	}
	return out
}

type pgNode struct {
	NodeType  string   `json:"Node Type"`
	Relation  string   `json:"Relation Name"`
	Index     string   `json:"Index Name"`
	IndexCond string   `json:"Index Cond"`
	Plans     []pgNode `json:"Plans"`
	depth     int
}

func (n *pgNode) walk(depth int, fn func(*pgNode, int)) {
	fn(n, depth)
	for i := range n.Plans {
		n.Plans[i].walk(depth+1, fn)
	}
}
