package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"provim/internal/store"
)

// schema is what the comparison of the two engines looks at, keyed by
// table name. Types are mapped to one vocabulary (integer, text, float,
// numeric, bytes, boolean, timestamp); defaults are normalised.
type schema map[string]*table

type table struct {
	Columns  map[string]column
	PK       string   // column list, "a,b"
	Uniques  []string // column lists of UNIQUE constraints
	FKs      []string // "a,b -> t(c,d) on delete X on update Y"
	Indexes  []string // "name (a,b)" with " unique" / " partial"
	Checks   int      // CHECK constraints
	Triggers []string // "BEFORE UPDATE", …
}

type column struct {
	Type     string // mapped
	Raw      string // as the engine names it
	NotNull  bool
	Default  string // normalised; "" for none
	Identity bool   // the engine numbers new rows by itself
}

func newTable() *table { return &table{Columns: map[string]column{}} }

func (t *table) sort() {
	sort.Strings(t.Uniques)
	sort.Strings(t.FKs)
	sort.Strings(t.Indexes)
	sort.Strings(t.Triggers)
}

// sqliteType maps a declared SQLite column type.
func sqliteType(decl string) string {
	t := strings.ToUpper(strings.TrimSpace(decl))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "INTEGER", "INT", "BIGINT", "SMALLINT":
		return "integer"
	case "TEXT", "VARCHAR", "CHAR", "CHARACTER VARYING", "CLOB":
		return "text"
	case "REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT":
		return "float"
	case "NUMERIC", "DECIMAL":
		return "numeric"
	case "BLOB":
		return "bytes"
	case "BOOLEAN":
		return "boolean"
	case "DATE", "DATETIME", "TIMESTAMP", "TIMESTAMPTZ":
		return "timestamp"
	}
	return "unmapped " + t
}

// postgresType maps information_schema.columns.data_type.
func postgresType(dataType string) string {
	switch dataType {
	case "integer", "bigint", "smallint":
		return "integer"
	case "text", "character varying", "character":
		return "text"
	case "double precision", "real":
		return "float"
	case "numeric":
		return "numeric"
	case "bytea":
		return "bytes"
	case "boolean":
		return "boolean"
	case "date", "timestamp with time zone", "timestamp without time zone":
		return "timestamp"
	}
	return "unmapped " + dataType
}

var castRE = regexp.MustCompile(`::[a-z][a-z ]*(\[\])?`)

// normDefault writes a default expression of either engine the same way:
// no casts, no outer parentheses, lower-case booleans.
func normDefault(d sql.NullString, typ string) string {
	if !d.Valid {
		return ""
	}
	s := strings.TrimSpace(castRE.ReplaceAllString(d.String, ""))
	for len(s) > 1 && s[0] == '(' && s[len(s)-1] == ')' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if strings.EqualFold(s, "null") {
		return ""
	}
	// PostgreSQL writes a negative number's default quoted ('-1'::integer).
	if len(s) > 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		if _, err := strconv.ParseFloat(s[1:len(s)-1], 64); err == nil {
			s = s[1 : len(s)-1]
		}
	}
	if typ == "boolean" {
		switch strings.ToLower(s) {
		case "0", "false", "'f'":
			return "false"
		case "1", "true", "'t'":
			return "true"
		}
	}
	return s
}

var (
	checkRE   = regexp.MustCompile(`(?i)\bCHECK\s*\(`)
	triggerRE = regexp.MustCompile(`(?i)\b(BEFORE|AFTER|INSTEAD\s+OF)\s+((?:INSERT|UPDATE|DELETE)(?:\s+OR\s+(?:INSERT|UPDATE|DELETE))*)\b`)
)

func readSQLite(ctx context.Context, db *store.DB) (schema, error) {
	type named struct{ name, sql string }
	scanNamed := func(r store.Scanner) (named, error) {
		var n named
		var s sql.NullString
		err := r.Scan(&n.name, &s)
		n.sql = s.String
		return n, err
	}
	tables, err := store.Select(ctx, db, scanNamed, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	out := schema{}
	for _, tb := range tables {
		t := newTable()
		out[tb.name] = t
		type col struct {
			name, decl string
			notNull    bool
			dflt       sql.NullString
			pk         int
		}
		cols, err := store.Select(ctx, db, func(r store.Scanner) (col, error) {
			var c col
			return c, r.Scan(&c.name, &c.decl, &c.notNull, &c.dflt, &c.pk)
		}, `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info($1) ORDER BY cid`, tb.name)
		if err != nil {
			return nil, err
		}
		pk := map[int]string{}
		for _, c := range cols {
			if c.pk > 0 {
				pk[c.pk] = c.name
			}
		}
		rowid := !strings.Contains(strings.ToUpper(tb.sql), "WITHOUT ROWID")
		for _, c := range cols {
			typ := sqliteType(c.decl)
			cc := column{Type: typ, Raw: c.decl, NotNull: c.notNull, Default: normDefault(c.dflt, typ)}
			// INTEGER PRIMARY KEY is the rowid: never NULL, numbered by SQLite.
			if rowid && len(pk) == 1 && c.pk == 1 && strings.EqualFold(c.decl, "INTEGER") {
				cc.Identity, cc.NotNull = true, true
			}
			t.Columns[c.name] = cc
		}
		for i := 1; i <= len(pk); i++ {
			if i > 1 {
				t.PK += ","
			}
			t.PK += pk[i]
		}

		type idx struct {
			name    string
			unique  bool
			origin  string
			partial bool
		}
		idxs, err := store.Select(ctx, db, func(r store.Scanner) (idx, error) {
			var i idx
			return i, r.Scan(&i.name, &i.unique, &i.origin, &i.partial)
		}, `SELECT name, "unique", origin, partial FROM pragma_index_list($1)`, tb.name)
		if err != nil {
			return nil, err
		}
		for _, ix := range idxs {
			names, err := store.Select(ctx, db, func(r store.Scanner) (string, error) {
				var s sql.NullString
				err := r.Scan(&s)
				if !s.Valid {
					s.String = "<expression>"
				}
				return s.String, err
			}, `SELECT name FROM pragma_index_info($1) ORDER BY seqno`, ix.name)
			if err != nil {
				return nil, err
			}
			cols := strings.Join(names, ",")
			switch ix.origin {
			case "pk":
			case "u":
				t.Uniques = append(t.Uniques, cols)
			default:
				t.Indexes = append(t.Indexes, indexString(ix.name, cols, ix.unique, ix.partial))
			}
		}

		type fk struct {
			id, seq            int
			table, from        string
			to                 sql.NullString
			onUpdate, onDelete string
		}
		fks, err := store.Select(ctx, db, func(r store.Scanner) (fk, error) {
			var f fk
			return f, r.Scan(&f.id, &f.seq, &f.table, &f.from, &f.to, &f.onUpdate, &f.onDelete)
		}, `SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq`, tb.name)
		if err != nil {
			return nil, err
		}
		byID := map[int]*[4]string{}
		var ids []int
		for _, f := range fks {
			e := byID[f.id]
			if e == nil {
				e = &[4]string{f.table, "", "", "on delete " + strings.ToLower(f.onDelete) + " on update " + strings.ToLower(f.onUpdate)}
				byID[f.id] = e
				ids = append(ids, f.id)
			}
			to := f.to.String
			if !f.to.Valid { // REFERENCES t: the parent's primary key
				to = "<primary key>"
			}
			e[1] = join(e[1], f.from)
			e[2] = join(e[2], to)
		}
		for _, id := range ids {
			e := byID[id]
			t.FKs = append(t.FKs, fmt.Sprintf("%s -> %s(%s) %s", e[1], e[0], e[2], e[3]))
		}
		t.Checks = len(checkRE.FindAllString(tb.sql, -1))
	}

	triggers, err := store.Select(ctx, db, scanNamed, `SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		return nil, err
	}
	for _, tr := range triggers {
		t := out[tr.name]
		m := triggerRE.FindStringSubmatch(tr.sql)
		if t == nil || m == nil {
			return nil, fmt.Errorf("trigger on %s not understood: %s", tr.name, tr.sql)
		}
		for _, ev := range strings.Split(strings.ToUpper(m[2]), " OR ") {
			t.Triggers = append(t.Triggers, strings.ToUpper(strings.Join(strings.Fields(m[1]), " "))+" "+strings.TrimSpace(ev))
		}
	}
	for _, t := range out {
		t.sort()
	}
	return out, nil
}

func readPostgres(ctx context.Context, db *store.DB) (schema, error) {
	tables, err := store.Select(ctx, db, func(r store.Scanner) (string, error) {
		var s string
		return s, r.Scan(&s)
	}, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		return nil, err
	}
	out := schema{}
	for _, name := range tables {
		out[name] = newTable()
	}

	type col struct {
		table, name, dataType string
		nullable, identity    string
		dflt                  sql.NullString
	}
	cols, err := store.Select(ctx, db, func(r store.Scanner) (col, error) {
		var c col
		return c, r.Scan(&c.table, &c.name, &c.dataType, &c.nullable, &c.identity, &c.dflt)
	}, `SELECT table_name, column_name, data_type, is_nullable, is_identity, column_default
	      FROM information_schema.columns WHERE table_schema = current_schema()`)
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		t := out[c.table]
		if t == nil {
			continue // a view
		}
		typ := postgresType(c.dataType)
		cc := column{Type: typ, Raw: c.dataType, NotNull: c.nullable == "NO", Identity: c.identity == "YES"}
		if c.dflt.Valid && strings.HasPrefix(c.dflt.String, "nextval(") {
			cc.Identity = true // serial
		} else {
			cc.Default = normDefault(c.dflt, typ)
		}
		t.Columns[c.name] = cc
	}

	// Column lists of a key, in key order: attribute numbers → names.
	const keyCols = `(SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(%s) WITH ORDINALITY AS k(n, i)
	                  JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.n)`
	type con struct {
		table, kind, cols, refTable, refCols, onDelete, onUpdate string
	}
	cons, err := store.Select(ctx, db, func(r store.Scanner) (con, error) {
		var c con
		var cols, refCols sql.NullString
		err := r.Scan(&c.table, &c.kind, &cols, &c.refTable, &refCols, &c.onDelete, &c.onUpdate)
		c.cols, c.refCols = cols.String, refCols.String
		return c, err
	}, `SELECT rel.relname, con.contype::text, `+fmt.Sprintf(keyCols, "con.conkey", "con.conrelid")+`,
	           COALESCE(frel.relname, ''), `+fmt.Sprintf(keyCols, "con.confkey", "con.confrelid")+`,
	           con.confdeltype::text, con.confupdtype::text
	      FROM pg_constraint con
	      JOIN pg_class rel ON rel.oid = con.conrelid
	      JOIN pg_namespace ns ON ns.oid = rel.relnamespace
	      LEFT JOIN pg_class frel ON frel.oid = con.confrelid
	     WHERE ns.nspname = current_schema()`)
	if err != nil {
		return nil, err
	}
	actions := map[string]string{"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
	for _, c := range cons {
		t := out[c.table]
		if t == nil {
			continue
		}
		switch c.kind {
		case "p":
			t.PK = c.cols
		case "u":
			t.Uniques = append(t.Uniques, c.cols)
		case "f":
			t.FKs = append(t.FKs, fmt.Sprintf("%s -> %s(%s) on delete %s on update %s", c.cols, c.refTable, c.refCols, actions[c.onDelete], actions[c.onUpdate]))
		case "c":
			t.Checks++
		}
	}

	type idx struct {
		table, name, cols string
		unique, partial   bool
		exprs             int
	}
	idxs, err := store.Select(ctx, db, func(r store.Scanner) (idx, error) {
		var i idx
		var cols sql.NullString
		err := r.Scan(&i.table, &i.name, &cols, &i.unique, &i.partial, &i.exprs)
		i.cols = cols.String
		return i, err
	}, `SELECT t.relname, i.relname, `+fmt.Sprintf(keyCols, "ix.indkey::int2[]", "ix.indrelid")+`,
	           ix.indisunique, ix.indpred IS NOT NULL, (SELECT count(*) FROM unnest(ix.indkey::int2[]) AS k(n) WHERE k.n = 0)
	      FROM pg_index ix
	      JOIN pg_class i ON i.oid = ix.indexrelid
	      JOIN pg_class t ON t.oid = ix.indrelid
	      JOIN pg_namespace ns ON ns.oid = t.relnamespace
	     WHERE ns.nspname = current_schema()
	       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid AND c.conrelid = ix.indrelid AND c.contype IN ('p', 'u', 'x'))`)
	if err != nil {
		return nil, err
	}
	for _, ix := range idxs {
		if t := out[ix.table]; t != nil {
			cols := ix.cols
			if ix.exprs > 0 {
				cols = join(cols, "<expression>")
			}
			t.Indexes = append(t.Indexes, indexString(ix.name, cols, ix.unique, ix.partial))
		}
	}

	type trig struct{ table, timing, event string }
	trigs, err := store.Select(ctx, db, func(r store.Scanner) (trig, error) {
		var t trig
		return t, r.Scan(&t.table, &t.timing, &t.event)
	}, `SELECT event_object_table, action_timing, event_manipulation FROM information_schema.triggers WHERE trigger_schema = current_schema()`)
	if err != nil {
		return nil, err
	}
	for _, tr := range trigs {
		if t := out[tr.table]; t != nil {
			t.Triggers = append(t.Triggers, tr.timing+" "+tr.event)
		}
	}
	for _, t := range out {
		t.sort()
	}
	return out, nil
}

func indexString(name, cols string, unique, partial bool) string {
	s := name + " (" + cols + ")"
	if unique {
		s += " unique"
	}
	if partial {
		s += " partial"
	}
	return s
}

func join(list, s string) string {
	if list == "" {
		return s
	}
	return list + "," + s
}
