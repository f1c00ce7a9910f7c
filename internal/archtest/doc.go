// Package archtest holds tests of provim's architecture that look at the
// source as a whole rather than at one package: that every table has one
// owning package and that SQL in a package names only its own tables
// (docs/architecture.md, "Who owns which table"), and that README's layout
// and the package list of docs/architecture.md name every directory of
// internal/. It has no code.
package archtest
