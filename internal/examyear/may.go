package examyear

import "provim/internal/auth"

// What a principal may do with the exam years, for the pages to ask before
// they offer an action. The service still enforces every rule.

// MayRead: every signed-in role reads the exam years and the calendar.
func MayRead(p *auth.Principal) bool { return p != nil && p.Role.Valid() }

// MayEdit: AVA creates, configures and activates the exam years.
func MayEdit(p *auth.Principal) bool { return p.IsNational() }
