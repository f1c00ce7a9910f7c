package registry

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
)

// RowError is one refused row of an import: its line in the file and every
// reason, in Albanian.
type RowError struct {
	Line    int      `json:"line"`
	Reasons []string `json:"reasons"`
}

func (r RowError) String() string {
	return fmt.Sprintf("Rreshti %d: %s.", r.Line, strings.Join(r.Reasons, "; "))
}

// ImportError lists every bad row; when it is returned nothing was written.
type ImportError struct {
	Rows []RowError
}

func (e *ImportError) Error() string {
	if len(e.Rows) == 1 {
		return "1 rresht ka gabime; asgjë nuk u ruajt. Korrigjoni skedarin dhe ngarkojeni përsëri."
	}
	return fmt.Sprintf("%d rreshta kanë gabime; asgjë nuk u ruajt. Korrigjoni skedarin dhe ngarkojeni përsëri.", len(e.Rows))
}

// ErrorCode makes an ImportError a domain error of code apperr.Invalid.
func (e *ImportError) ErrorCode() string { return apperr.Invalid }

// Result counts what an import did.
type Result struct {
	Entity    string `json:"entity"` // as imported: "units", "schools", "students", "staff" or "venues"
	Rows      int    `json:"rows"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
}

// Progress is told how far a long import has come.
type Progress func(phase string, done, total int)

type record[T any] struct {
	line int
	val  T
	pre  problems // found while reading the cells
}

// spec describes how one entity is validated, keyed and written.
type spec[T any] struct {
	entity     string // the import's name for the entity (Entities)
	objectType string // the audit log's object type
	label      string // Albanian noun for messages
	outside    string // the one answer for a record outside the caller's scope
	check      func(e *env, v T, inFile map[string]T) (T, problems, outside)
	// checkPeers, when set, is used instead of check for an entity whose
	// rows are compared with the earlier rows of their group (the rooms
	// of one venue): peers lists those rows, in file order, by group.
	checkPeers func(e *env, v T, peers func(group string) []T) (T, problems, outside)
	group      func(T) string
	key        func(T) string
	loadKeys   string // SELECT returning existing rows for a set of keys (IN list appended)
	scan       func(row store.Scanner) (T, error)
	same       func(a, b T) bool
	owned      func(e *env, old T) bool // may the caller change the existing record?
	insert     func(ctx context.Context, w *writer, v T) error
	update     func(ctx context.Context, w *writer, old, v T) error
	// An entity imported by the thousand (students, staff, rooms) has its
	// new records written in bulk (store.Insert: COPY on PostgreSQL)
	// instead of by insert: the table, its columns and a record's values;
	// prepare, when set, runs first for each new record (a room's venue).
	bulk *bulkInsert[T]
}

type bulkInsert[T any] struct {
	table   string
	cols    []string
	values  func(w *writer, v T) []any
	prepare func(ctx context.Context, w *writer, v T) error
}

// writer holds the prepared statements of one import transaction.
type writer struct {
	tx    store.Querier
	at    string // the moment of the import, as stored
	stmts map[string]*sql.Stmt
	seen  map[string]bool
}

func (w *writer) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, ok := w.stmts[q]
	if !ok {
		var err error
		st, err = w.tx.PrepareContext(ctx, q)
		if err != nil {
			return nil, err
		}
		w.stmts[q] = st
	}
	return st.ExecContext(ctx, args...)
}

func (w *writer) close() {
	for _, s := range w.stmts {
		s.Close()
	}
}

// importRecords validates every record, and only when all are valid writes
// them in one transaction with an audit entry per change. Re-importing the
// same data changes nothing (upsert by natural key, unchanged rows skipped).
func importRecords[T any](ctx context.Context, s *Service, p *auth.Principal, sp spec[T], recs []record[T], progress Progress) (Result, error) {
	res := Result{Entity: sp.entity, Rows: len(recs)}
	if err := canWrite(p); err != nil {
		return res, err
	}
	if progress == nil {
		progress = func(string, int, int) {}
	}
	ref := &refusal{Entity: sp.entity, Rows: len(recs)}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		e, err := loadEnv(ctx, tx, p, s.db.Now(ctx))
		if err != nil {
			return err
		}
		// 1. Validate each row on its own and against the rest of the file.
		var bad []RowError
		clean := make([]record[T], 0, len(recs))
		where := make([]outside, 0, len(recs))
		firstLine := map[string]int{}
		inFile := map[string]T{}
		groups := map[string][]T{} // the rows of inFile by sp.group, in file order
		peers := func(g string) []T { return groups[g] }
		for i, r := range recs {
			var v T
			var ps problems
			var out outside
			if sp.checkPeers != nil {
				v, ps, out = sp.checkPeers(e, r.val, peers)
			} else {
				v, ps, out = sp.check(e, r.val, inFile)
			}
			ps = append(r.pre, ps...)
			k := sp.key(v)
			if k != "" {
				if l, dup := firstLine[k]; dup {
					ps.addf("%s «%s» përsëritet në skedar (njësoj si rreshti %d)", sp.label, quote(k), l)
				} else {
					firstLine[k] = r.line
					inFile[k] = v
					if sp.group != nil {
						groups[sp.group(v)] = append(groups[sp.group(v)], v)
					}
				}
			}
			clean = append(clean, record[T]{line: r.line, val: v, pre: ps})
			where = append(where, out)
			if i%2000 == 0 {
				progress("kontroll", i, len(recs))
			}
		}
		// 2. Compare with what the database holds: a record of another
		// scope is refused with the entity's one answer, as is a record
		// naming another scope (whether or not it exists).
		existing, err := loadExisting(ctx, tx, s.db.Dialect, sp, firstLine)
		if err != nil {
			return err
		}
		mineOnly := true // every row changes a record already in the caller's scope
		for i, r := range clean {
			old, ok := existing[sp.key(r.val)]
			mine := ok && (sp.owned == nil || sp.owned(e, old))
			if where[i] == inScope && ok && !mine {
				where[i] = recordOutside
			}
			if !mine || where[i] != inScope {
				mineOnly = false
			}
			switch where[i] {
			case targetOutside:
				ref.Target++
			case recordOutside:
				ref.Existing++
			}
			if where[i] != inScope {
				ref.note(r.line, sp.key(r.val))
				r.pre.addf("%s", sp.outside)
			}
			if len(r.pre) > 0 {
				bad = append(bad, RowError{Line: r.line, Reasons: r.pre})
			}
		}
		// An account past its allowance registers nothing new: the answer
		// is the same whatever the rows hold. So is the answer to a file
		// with more existing records of other scopes than the allowance
		// has left, instead of the list of its rows.
		if left := s.remaining(p, e.now); (left <= 0 && !mineOnly) || ref.Existing > max(left, 0) {
			ref.Throttled = true
			return ErrThrottled
		}
		if len(bad) > 0 {
			sortRowErrors(bad)
			return &ImportError{Rows: bad}
		}
		// 3. Write, in file order.
		w := &writer{tx: tx, at: clock.Stored(s.db.Now(ctx)), stmts: map[string]*sql.Stmt{}, seen: map[string]bool{}}
		defer w.close()
		// The audit entries are those of one Add per change, in file
		// order, written together at the end (audit.AddMany).
		who := p.Actor()
		var entries []audit.Item
		var fresh [][]any // new records, for a bulk spec
		for i, r := range clean {
			k := sp.key(r.val)
			old, ok := existing[k]
			switch {
			case !ok && sp.bulk != nil:
				if sp.bulk.prepare != nil {
					if err := sp.bulk.prepare(ctx, w, r.val); err != nil {
						return fmt.Errorf("registry: line %d: insert %s %s: %w", r.line, sp.objectType, k, err)
					}
				}
				fresh = append(fresh, sp.bulk.values(w, r.val))
				entries = append(entries, audit.Item{Action: "create", ObjectType: sp.objectType, ObjectID: k, After: r.val})
				res.Created++
			case !ok:
				if err := sp.insert(ctx, w, r.val); err != nil {
					return fmt.Errorf("registry: line %d: insert %s %s: %w", r.line, sp.objectType, k, err)
				}
				entries = append(entries, audit.Item{Action: "create", ObjectType: sp.objectType, ObjectID: k, After: r.val})
				res.Created++
			case sp.same(old, r.val):
				res.Unchanged++
			default:
				if err := sp.update(ctx, w, old, r.val); err != nil {
					return fmt.Errorf("registry: line %d: update %s %s: %w", r.line, sp.objectType, k, err)
				}
				entries = append(entries, audit.Item{Action: "update", ObjectType: sp.objectType, ObjectID: k, Before: old, After: r.val})
				res.Updated++
			}
			if i%2000 == 0 {
				progress("ruajtje", i, len(clean))
			}
		}
		if len(fresh) > 0 {
			if err := store.Insert(ctx, sp.bulk.table, sp.bulk.cols, fresh); err != nil {
				return fmt.Errorf("registry: insert %s: %w", sp.objectType, err)
			}
		}
		if err := audit.AddMany(ctx, who, entries); err != nil {
			return err
		}
		progress("ruajtje", len(clean), len(clean))
		return nil
	})
	if ref.any() {
		if lerr := s.logRefusal(ctx, p, ref, s.db.Now(ctx)); lerr != nil {
			return Result{Entity: sp.entity, Rows: len(recs)}, lerr
		}
	}
	if err != nil {
		return Result{Entity: sp.entity, Rows: len(recs)}, err
	}
	return res, nil
}

func sortRowErrors(bad []RowError) {
	for i := 1; i < len(bad); i++ {
		for j := i; j > 0 && bad[j].Line < bad[j-1].Line; j-- {
			bad[j], bad[j-1] = bad[j-1], bad[j]
		}
	}
}

// loadExisting reads the stored records whose keys appear in the file, in
// chunks so that the IN lists stay small on both engines; on PostgreSQL
// a chunk is one array parameter (= ANY($1)), so a national file takes a
// few round trips rather than one per 500 keys.
func loadExisting[T any](ctx context.Context, tx store.Querier, dialect store.Dialect, sp spec[T], keys map[string]int) (map[string]T, error) {
	out := make(map[string]T, len(keys))
	if dialect == store.Postgres {
		all := make([]string, 0, len(keys))
		for k := range keys {
			all = append(all, k)
		}
		for _, part := range store.Chunks(all, 20000) {
			list, err := store.Select(ctx, tx, sp.scan, sp.loadKeys+" = ANY($1)", part)
			if err != nil {
				return nil, fmt.Errorf("registry: load existing %s: %w", sp.objectType, err)
			}
			for _, v := range list {
				out[sp.key(v)] = v
			}
		}
		return out, nil
	}
	all := make([]any, 0, len(keys))
	for k := range keys {
		all = append(all, k)
	}
	const chunk = 500
	for start := 0; start < len(all); start += chunk {
		end := min(start+chunk, len(all))
		ph := make([]string, end-start)
		for i := range ph {
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
		list, err := store.Select(ctx, tx, sp.scan, sp.loadKeys+" IN ("+strings.Join(ph, ", ")+")", all[start:end]...)
		if err != nil {
			return nil, fmt.Errorf("registry: load existing %s: %w", sp.objectType, err)
		}
		for _, v := range list {
			out[sp.key(v)] = v
		}
	}
	return out, nil
}
