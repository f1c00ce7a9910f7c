package admin

import (
	"testing"

	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	webkittest.ExecuteAll(t, Templates, map[string]any{
		"users":      usersView{Users: []auth.Account{{User: auth.User{Username: "j12345678a", FullName: "Ana Çela", Role: auth.RoleStudent}, Pending: true}}, Total: 1},
		"accounts":   accountsView{ForSchool: true, ForVenue: true},
		"activation": activationView{},
		"audit":      auditView{Entries: []auditRow{{Who: "Drita Kola (AVA)", What: "krijoi", Changes: []audit.Change{{Field: "emri", Before: "—", After: "Ana"}}}}, Checked: true},
		"years":      yearsView{},
		"year":       yearView{},
	})
}
