package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"provim/internal/store"
)

// On PostgreSQL, migrating a fresh schema (some 80 DDL statements) costs
// far more than most tests, so Open leases migrated schemas from a pool
// and empties them when a test ends: every row deleted, every sequence
// and the rows the migrations seed (audit_head) as a fresh migration
// leaves them. An emptied schema carries that state as its comment (a
// leased one has none).
//
// A pool schema is named tp_<migrations>_<owner>_<n>: the fingerprint of
// the PostgreSQL migration files, so a schema of other migrations is never
// used; and its owner, the test process, which holds the advisory lock of
// that number while it runs. A later process takes over (renames) a few
// emptied schemas of an owner whose lock is free — it has ended — and
// drops its schemas of other migrations or left in use, so the schemas are
// reused from one run to the next and none are left behind for good.
type pgPool struct {
	base   string
	finger string // fingerprint of the migration files
	owner  int64  // this process's advisory-lock key
	admin  *sql.DB
	lock   *sql.Conn // holds the advisory lock of owner for the process's life
	mu     sync.Mutex
	seeds  map[string]string // rows of each seeded table, as JSON
	seqs   map[string]seqState
	sig    string   // sigQuery of a fresh migration
	free   []string // empty schemas
	n      int
}

// seqState is where a sequence stands after a fresh migration.
type seqState struct {
	Value  int64 `json:"value"`
	Called bool  `json:"called"`
}

// cleanMark is the comment of an emptied schema: the seeds and sequences
// it was reset to, so a later process can take it over as it is and reset
// others the same way. A leased schema has no comment.
type cleanMark struct {
	Seeds map[string]string   `json:"seeds"`
	Seqs  map[string]seqState `json:"seqs"`
	Sig   string              `json:"sig"`
}

// sigQuery is the signature of a schema's definition: its columns,
// indexes, constraints and triggers (with whether each is enabled), the
// schema's own name left out. A test
// that changed it (one switches the audit log's trigger off) leaves a
// schema that is dropped, not reused.
const sigQuery = `SELECT md5(replace(COALESCE((SELECT string_agg(x, ',' ORDER BY x) FROM (
	SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable || ':' || COALESCE(column_default, '') AS x
		FROM information_schema.columns WHERE table_schema = $1
	UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = $1
	UNION ALL SELECT c.conname || ':' || pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1
	UNION ALL SELECT g.tgname || ':' || g.tgenabled::text FROM pg_trigger g JOIN pg_class r ON r.oid = g.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = $1
) d), ''), $1 || '.', ''))`

var (
	poolOnce sync.Once
	pool     *pgPool // nil: no pool (not PostgreSQL, or it could not be set up)
)

// maxAdopt is how many schemas of ended runs one process takes over.
const maxAdopt = 4

// thePool returns the pool of the PostgreSQL server at base, or nil when
// there is none: schemas are then made and dropped per test.
func thePool(base string) *pgPool {
	poolOnce.Do(func() {
		p, err := newPool(base)
		if err == nil {
			pool = p
		}
	})
	return pool
}

func newPool(base string) (*pgPool, error) {
	finger, err := migrationsFingerprint()
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	admin.SetMaxOpenConns(3) // one holds the lock
	var super bool
	if err := admin.QueryRow(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil || !super {
		// Emptying a schema switches off its triggers (session_replication_role).
		admin.Close()
		return nil, fmt.Errorf("storetest: pool needs a superuser")
	}
	lock, err := admin.Conn(ctx)
	if err != nil {
		admin.Close()
		return nil, err
	}
	var b [6]byte
	rand.Read(b[:])
	owner := int64(binary.BigEndian.Uint64(append([]byte{0, 0}, b[:]...)))
	if _, err := lock.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, owner); err != nil {
		lock.Close()
		admin.Close()
		return nil, err
	}
	p := &pgPool{base: base, finger: finger, owner: owner, admin: admin, lock: lock}
	p.adopt(ctx)
	return p, nil
}

// migrationsFingerprint hashes the names and text of the PostgreSQL
// migration files, read beside this package's source.
func migrationsFingerprint() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("storetest: no source path")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "migrations", "postgres")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, e := range entries {
		body, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", e.Name(), len(body))
		h.Write(body)
	}
	return hex.EncodeToString(h.Sum(nil)[:4]), nil
}

func (p *pgPool) name(owner int64, n int) string {
	return fmt.Sprintf("tp_%s_%x_%d", p.finger, owner, n)
}

// adopt takes over up to maxAdopt schemas of ended processes with this
// process's migrations, and drops the schemas of ended processes with
// other migrations.
func (p *pgPool) adopt(ctx context.Context) {
	type pooled struct{ name, mark string }
	list, err := store.Select(ctx, p.lock, func(r store.Scanner) (s pooled, err error) {
		err = r.Scan(&s.name, &s.mark)
		return s, err
	}, `SELECT nspname, COALESCE(obj_description(oid, 'pg_namespace'), '')
		FROM pg_namespace WHERE nspname LIKE 'tp\_%'`)
	if err != nil {
		return // a list cut short adopts and drops nothing: a later run will
	}
	byOwner := map[int64][]string{}
	marks := map[string]string{}
	for _, ns := range list {
		s, mark := ns.name, ns.mark
		parts := strings.Split(s, "_")
		if len(parts) != 4 {
			continue
		}
		owner, err := strconv.ParseInt(parts[2], 16, 64)
		if err != nil || owner == p.owner {
			continue
		}
		byOwner[owner] = append(byOwner[owner], s)
		marks[s] = mark
	}
	for owner, schemas := range byOwner {
		var free bool
		if err := p.lock.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, owner).Scan(&free); err != nil || !free {
			continue // its process still runs
		}
		sort.Strings(schemas)
		for _, s := range schemas {
			var m cleanMark
			clean := json.Unmarshal([]byte(marks[s]), &m) == nil && m.Seeds != nil && m.Sig != ""
			switch {
			case !strings.HasPrefix(s, "tp_"+p.finger+"_") || !clean:
				// Other migrations, or left in use by a process that died.
				p.lock.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+s+` CASCADE`)
			case len(p.free) < maxAdopt:
				p.n++
				mine := p.name(p.owner, p.n)
				if _, err := p.lock.ExecContext(ctx, `ALTER SCHEMA `+s+` RENAME TO `+mine); err == nil {
					p.free = append(p.free, mine)
					if p.seeds == nil {
						p.seeds, p.seqs, p.sig = m.Seeds, m.Seqs, m.Sig
					}
				}
			}
			// Clean ones beyond maxAdopt stay for the other processes.
		}
		p.lock.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, owner)
	}
}

// lease returns a schema for one test: a free one, or a new empty one
// (fresh is true: the caller's store.Open migrates it, and then calls
// remember).
func (p *pgPool) lease() (schema string, fresh bool, err error) {
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		schema = p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		_, err := p.admin.Exec(`COMMENT ON SCHEMA ` + schema + ` IS NULL`) // in use: no longer clean
		return schema, false, err
	}
	p.n++
	schema = p.name(p.owner, p.n)
	p.mu.Unlock()
	_, err = p.admin.Exec(`CREATE SCHEMA ` + schema)
	return schema, true, err
}

// release empties schema and gives it back, or drops it when it cannot be
// emptied.
func (p *pgPool) release(schema string) {
	ctx := context.Background()
	if err := p.reset(ctx, schema); err != nil {
		p.admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`)
		return
	}
	p.mu.Lock()
	p.free = append(p.free, schema)
	p.mu.Unlock()
}

// remember records the rows a fresh migration left in schema (its seeds),
// once per process, to put them back when a schema is emptied.
func (p *pgPool) remember(schema string) error {
	p.mu.Lock()
	done := p.seeds != nil
	p.mu.Unlock()
	if done {
		return nil
	}
	ctx := context.Background()
	tables, err := p.tables(ctx, schema)
	if err != nil {
		return err
	}
	seeds := map[string]string{}
	for _, t := range tables {
		var rows sql.NullString
		if err := p.admin.QueryRowContext(ctx, `SELECT json_agg(t) FROM `+schema+`.`+t+` t`).Scan(&rows); err != nil {
			return err
		}
		if rows.Valid {
			seeds[t] = rows.String
		}
	}
	seqs := map[string]seqState{}
	rows, err := p.admin.QueryContext(ctx, `SELECT sequencename, COALESCE(last_value, start_value), last_value IS NOT NULL
		FROM pg_sequences WHERE schemaname = $1`, schema)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var st seqState
		if err := rows.Scan(&name, &st.Value, &st.Called); err != nil {
			return err
		}
		seqs[name] = st
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var sig string
	if err := p.admin.QueryRowContext(ctx, sigQuery, schema).Scan(&sig); err != nil {
		return err
	}
	p.mu.Lock()
	if p.seeds == nil {
		p.seeds, p.seqs, p.sig = seeds, seqs, sig
	}
	p.mu.Unlock()
	return nil
}

// tables lists the tables of schema but schema_migrations.
func (p *pgPool) tables(ctx context.Context, schema string) ([]string, error) {
	rows, err := p.admin.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name`, schema)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// reset empties schema to the state of a fresh migration, in one
// transaction with triggers off (the audit log refuses deletes).
func (p *pgPool) reset(ctx context.Context, schema string) error {
	p.mu.Lock()
	seeds, seqs, want := p.seeds, p.seqs, p.sig
	p.mu.Unlock()
	if seeds == nil {
		return fmt.Errorf("storetest: no seeds yet")
	}
	var sig string
	if err := p.admin.QueryRowContext(ctx, sigQuery, schema).Scan(&sig); err != nil {
		return err
	}
	if sig != want {
		return fmt.Errorf("storetest: schema %s was changed by its test", schema)
	}
	tables, err := p.tables(ctx, schema)
	if err != nil {
		return err
	}
	tx, err := p.admin.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
		return err
	}
	var b strings.Builder
	for _, t := range tables {
		fmt.Fprintf(&b, "DELETE FROM %s.%s;\n", schema, t)
	}
	if _, err := tx.ExecContext(ctx, b.String()); err != nil {
		return err
	}
	b.Reset()
	for name, st := range seqs {
		fmt.Fprintf(&b, "SELECT setval('%s.%s', %d, %t);\n", schema, name, st.Value, st.Called)
	}
	if b.Len() > 0 {
		if _, err := tx.ExecContext(ctx, b.String()); err != nil {
			return err
		}
	}
	for t, rows := range seeds {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+schema+`.`+t+` OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::`+schema+`.`+t+`, $1)`, rows); err != nil {
			return err
		}
	}
	mark, err := json.Marshal(cleanMark{Seeds: seeds, Seqs: seqs, Sig: want})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `COMMENT ON SCHEMA `+schema+` IS '`+strings.ReplaceAll(string(mark), "'", "''")+`'`); err != nil {
		return err
	}
	return tx.Commit()
}

// dsn is the address of schema on the pool's server.
func (p *pgPool) dsn(schema string) (string, error) {
	u, err := url.Parse(p.base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
