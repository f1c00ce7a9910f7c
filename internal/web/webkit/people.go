package webkit

import (
	"context"
	"strings"

	"provim/internal/auth"
)

// People are the accounts behind the usernames a page shows (who recorded
// a step, who changed a record), so that the page names people, not
// usernames (issue 11, part D).
type People map[string]auth.User

// PeopleOf reads the accounts of usernames (each once, blanks skipped).
func PeopleOf(ctx context.Context, a *auth.Service, usernames ...string) (People, error) {
	seen := map[string]bool{}
	var list []string
	for _, u := range usernames {
		if u != "" && !seen[u] {
			seen[u] = true
			list = append(list, u)
		}
	}
	people, err := a.FullNames(ctx, list)
	return People(people), err
}

// Who writes the actor of an entry in words, with the role it acted in:
// "Drita Kola (AVA)", provim itself, a visitor who was not signed in, or
// the username where the account is unknown. A name that already ends
// with its role (the demo's "Drita Kola (AVA)") is not given it twice.
func (ps People) Who(actor, role string) string {
	switch role {
	case "system":
		return "provim (vetë sistemi)"
	case "anonim":
		return "Vizitor i paidentifikuar"
	}
	short := auth.Role(role).Short()
	name := actor
	if u, ok := ps[actor]; ok && u.FullName != "" {
		name = u.FullName
	}
	// A body named for what it is (a student sees "KSHMSH — komisioni
	// shkollor…", not the member) needs no role after it.
	if short == "" || strings.HasSuffix(name, ")") && strings.Contains(name, "("+short) || name == auth.Role(role).Label() {
		return name
	}
	return name + " (" + short + ")"
}

// Name is Who in the role of the account itself: "Arben Hoxha (KMSH)";
// the username where the account is unknown.
func (ps People) Name(username string) string { return ps.Who(username, string(ps[username].Role)) }
