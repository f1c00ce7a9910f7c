// Package fold is the one spelling a search compares: lower case, with ë
// read as e and ç as c, so that "caushi" finds "Çaushi" and "Çela" finds
// "Cela" on both engines (issue 11, part B). Go folds what was typed
// (Fold); the database folds the column with the same rule (SQL), which
// SQLite and PostgreSQL both evaluate alike: SQLite's lower() changes only
// ASCII letters, so the Albanian capitals are replaced explicitly.
package fold

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

var replacer = strings.NewReplacer("Ç", "c", "ç", "c", "Ë", "e", "ë", "e")

// Fold is s as a search compares it: composed (NFC, so "e"+"◌̈" is ë),
// ë/Ë → e, ç/Ç → c, lower case.
func Fold(s string) string {
	return strings.ToLower(replacer.Replace(norm.NFC.String(s)))
}

// SQL is the expression that folds column col in the database as Fold
// folds typed text.
func SQL(col string) string {
	return "replace(replace(replace(replace(lower(" + col + "), 'Ç', 'c'), 'ç', 'c'), 'Ë', 'e'), 'ë', 'e')"
}

// Contains is the LIKE pattern that finds the folded words of q anywhere,
// with LIKE's own characters escaped (use it with ESCAPE '\').
func Contains(word string) string {
	w := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(Fold(word))
	return "%" + w + "%"
}

// Like is "<folded col> LIKE ? ESCAPE '\'" for one column.
func Like(col string) string {
	return SQL(col) + ` LIKE ? ESCAPE '\'`
}

// Words splits a search into its folded words.
func Words(q string) []string {
	return strings.Fields(q)
}
