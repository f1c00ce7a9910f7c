package archtest

// owners is the table-ownership map of docs/architecture.md as Go data:
// package (path from the module root) → the tables it owns. Every table
// the migrations create has exactly one owner here; a new table must be
// registered here and in the document (TestOwnershipMapMatchesDocs).
var owners = map[string][]string{
	"internal/store":       {"schema_migrations"},
	"internal/audit":       {"audit_log", "audit_head"},
	"internal/auth":        {"users", "sessions", "api_tokens", "login_failures", "login_addresses", "session_epoch", "session_revocations"},
	"internal/examyear":    {"exam_years"},
	"internal/registry":    {"units", "schools", "students", "staff", "venues", "rooms", "student_corrections"},
	"internal/application": {"study_programmes", "applications", "application_history", "school_submissions", "unit_submissions", "a2_forms", "prior_results", "exam_exclusions", "final_lists"},
	"internal/venue":       {"exam_seats", "venue_inspections", "venue_room_capacity", "venue_lists", "exam_plan_groups", "venue_room_changes", "venue_notices"},
	"internal/draw":        {"draw_pool", "staff_declarations", "draws", "draw_assignments"},
	"internal/custody":     {"custody_consignments", "custody_packages", "custody_handovers"},
	"internal/examday":     {"examday_rooms", "examday_checkins", "examday_requests", "examday_room_sync", "examday_events", "examday_packing"},
	"internal/anonym":      {"anonym_keys", "anonym_holders", "anonym_rooms", "anonym_codes", "anonym_seated", "anonym_links", "anonym_opened"},
	"internal/marking":     {"marking_tests", "marking_items", "marking_testgroup", "marking_settings", "marking_markers", "marking_calibration", "marking_training", "marking_booklets", "marking_allocations", "marking_entries", "marking_monitor_draws", "marking_samples", "marking_reports", "marking_cases", "marking_closed", "marking_monitor_population", "marking_scan_exams", "marking_scans", "marking_scan_queue"},
	"internal/remark":      {"remark_requests", "remark_markings", "remark_copies"},
	// results (part R)
	"internal/results": {"results_exams", "results", "results_history", "results_pages", "results_page_html", "results_session2_sent", "results_session2"},
	// certificate (part C)
	"internal/certificate": {"certificates", "certificate_checks"},
}

// mayName are the foreign tables a package may name besides its own:
// scope is the one place where a role's unit scope becomes SQL, and that
// SQL walks the units tree.
var mayName = map[string][]string{
	"internal/scope": {"units"},
}

// createdOutsideMigrations are tables created by Go code rather than by a
// migration file (store.Migrate creates its own bookkeeping table).
var createdOutsideMigrations = []string{"schema_migrations"}
