package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"provim/internal/store"
)

// Reconciliation (issue 9, item 6): the chain proves what was logged; it
// says nothing about a row changed by SQL behind provim's back. Reconcile
// compares each audited row as it is now with what the log says of it:
// the after-images of the row's entries folded in order (each entry's
// top-level fields replace the earlier ones), so the last entry that
// speaks of a field gives the value the row must hold.

// Image is the audited image of one current row, as its owner package
// publishes it (published_audit.go): the object type and id its audit
// entries carry, other ids of the same row in the log (a student is
// logged by personal number and by id), and its fields under the names
// the after-images use.
type Image struct {
	Type    string
	ID      string
	Aliases []string
	Fields  map[string]any
}

// Table is the images of one audited table. Complete: every object of
// Type in the log is a row of the table (no action deletes one), so an
// object without a row was deleted behind provim's back.
type Table struct {
	Name     string // the table, for the report
	Type     string
	Complete bool
	Rows     []Image
}

// Difference is one row that does not agree with the log.
type Difference struct {
	Table  string `json:"table"`
	Type   string `json:"object_type"`
	ID     string `json:"object_id"`
	Field  string `json:"field,omitempty"`
	Row    string `json:"row,omitempty"` // the value in the row (JSON)
	Logged string `json:"logged,omitempty"`
	LastAt string `json:"last_entry,omitempty"` // seq of the last entry that set it
	Reason string `json:"reason"`
}

func (d Difference) String() string {
	s := fmt.Sprintf("%s %s/%s: %s", d.Table, d.Type, d.ID, d.Reason)
	if d.Field != "" {
		s += fmt.Sprintf(" — fusha %s: rreshti ka %s, auditimi (hyrja %s) ka %s", d.Field, d.Row, d.LastAt, d.Logged)
	}
	return s
}

type folded struct {
	fields map[string]json.RawMessage
	seqOf  map[string]int64
	last   int64
}

// fold reads the log of the given object types and folds, per object, the
// top-level fields of the after-images in sequence order.
func fold(ctx context.Context, db *sql.DB, types []string) (map[string]map[string]*folded, error) {
	out := map[string]map[string]*folded{}
	if len(types) == 0 {
		return out, nil
	}
	ph := make([]string, len(types))
	args := make([]any, len(types))
	for i, t := range types {
		ph[i] = fmt.Sprintf("$%d", i+1)
		args[i] = t
		out[t] = map[string]*folded{}
	}
	type row struct {
		seq           int64
		typ, id, post string
	}
	rows, err := store.Select(ctx, db, func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.seq, &x.typ, &x.id, &x.post)
	}, `SELECT seq, object_type, object_id, after FROM audit_log WHERE object_type IN (`+strings.Join(ph, ", ")+`) ORDER BY seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: reconcile: %w", err)
	}
	for _, x := range rows {
		f := out[x.typ][x.id]
		if f == nil {
			f = &folded{fields: map[string]json.RawMessage{}, seqOf: map[string]int64{}}
			out[x.typ][x.id] = f
		}
		f.last = x.seq
		var m map[string]json.RawMessage
		if x.post == "" || json.Unmarshal([]byte(x.post), &m) != nil {
			continue // an entry without an object image changes no field
		}
		for k, v := range m {
			f.fields[k], f.seqOf[k] = v, x.seq
		}
	}
	return out, nil
}

// same compares a row's value with a logged one as JSON values (numbers
// as numbers, lists and objects element by element).
func same(row any, logged json.RawMessage) (bool, string) {
	b, err := json.Marshal(row)
	if err != nil {
		return false, fmt.Sprint(row)
	}
	var a, l any
	if json.Unmarshal(b, &a) != nil || json.Unmarshal(logged, &l) != nil {
		return string(b) == string(logged), string(b)
	}
	return reflect.DeepEqual(norm(a), norm(l)), string(b)
}

// norm treats an empty list and a missing one (null) alike.
func norm(v any) any {
	if l, ok := v.([]any); ok && len(l) == 0 {
		return nil
	}
	return v
}

// Reconcile compares every row of tables with the log and returns every
// row that differs: a field whose value is not the one its last entry set,
// a row no entry records, and (for a complete table) a logged object whose
// row is gone. Fields the log never recorded are not compared.
func Reconcile(ctx context.Context, db *sql.DB, tables []Table) ([]Difference, error) {
	var types []string
	for _, t := range tables {
		types = append(types, t.Type)
	}
	logs, err := fold(ctx, db, types)
	if err != nil {
		return nil, err
	}
	var out []Difference
	for _, t := range tables {
		seen := map[string]bool{}
		for _, img := range t.Rows {
			ids := append([]string{img.ID}, img.Aliases...)
			merged := &folded{fields: map[string]json.RawMessage{}, seqOf: map[string]int64{}}
			found := false
			// The entries of every id of the row, in sequence order.
			for _, id := range ids {
				seen[id] = true
				f := logs[t.Type][id]
				if f == nil {
					continue
				}
				found = true
				for k, v := range f.fields {
					if f.seqOf[k] > merged.seqOf[k] {
						merged.fields[k], merged.seqOf[k] = v, f.seqOf[k]
					}
				}
			}
			if !found {
				out = append(out, Difference{Table: t.Name, Type: t.Type, ID: img.ID,
					Reason: "asnjë hyrje e auditimit nuk e regjistron këtë rresht (u shtua jashtë provim-it)"})
				continue
			}
			keys := make([]string, 0, len(img.Fields))
			for k := range img.Fields {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				logged, ok := merged.fields[k]
				if !ok {
					continue
				}
				if eq, row := same(img.Fields[k], logged); !eq {
					out = append(out, Difference{Table: t.Name, Type: t.Type, ID: img.ID, Field: k, Row: row, Logged: string(logged),
						LastAt: fmt.Sprint(merged.seqOf[k]), Reason: "rreshti nuk përputhet me auditimin (u ndryshua jashtë provim-it)"})
				}
			}
		}
		if t.Complete {
			var gone []string
			for id := range logs[t.Type] {
				if !seen[id] {
					gone = append(gone, id)
				}
			}
			sort.Strings(gone)
			for _, id := range gone {
				out = append(out, Difference{Table: t.Name, Type: t.Type, ID: id, LastAt: fmt.Sprint(logs[t.Type][id].last),
					Reason: "auditimi e regjistron, por rreshti mungon (u fshi jashtë provim-it)"})
			}
		}
	}
	return out, nil
}
