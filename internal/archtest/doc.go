// Package archtest holds tests of provim's architecture that look at the
// source as a whole rather than at one package: that every table has one
// owning package and that SQL in a package names only its own tables
// (docs/architecture.md, "Who owns which table"). It has no code.
package archtest
