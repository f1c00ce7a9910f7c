// Package perftest holds the tests that keep provim's student-facing
// pages cheap at national scale (issue 12): every query such a page sends
// is recorded and EXPLAINed on the engine of the run (SQLite, or
// PostgreSQL when PROVIM_TEST_DATABASE_URL is set), and a scan of a table
// that grows with the country fails the test. The code is in its tests;
// this file only names the package.
package perftest
