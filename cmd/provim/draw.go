package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"provim/internal/draw"
)

const drawUsage = `provim draw verify FILE|-
provim draw verify --db … --id N

Recomputes the assignment of a published draw record (the JSON of
GET /api/v1/public/draws/{id}, or "-" for standard input) from its lists,
seed and entropy with the algorithm documented in package draw, and
checks the commitment. The public record names nobody: each entry is its
place on the role's list. Exits 0 when everything matches, 1 naming the
first difference.

With --id, the draw stored in the database is checked the same way and
also against the hash-chained audit log (commitment, seed, entropy and the
hash of the result logged when it was drawn), so that an entropy and a
result rewritten together in the database are found.
`

// cmdDraw is "provim draw verify": anyone can check a published draw
// without access to the database.
func cmdDraw(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) >= 1 && args[0] == "verify" && len(args) > 1 && strings.HasPrefix(args[1], "-") && args[1] != "-" {
		return drawVerifyStored(ctx, args[1:], stdout, stderr)
	}
	if len(args) != 2 || args[0] != "verify" {
		fmt.Fprint(stderr, drawUsage)
		return exitError{code: 2, msg: "përdorimi: provim draw verify FILE|- ose provim draw verify --db … --id N"}
	}
	var in io.Reader = stdin
	if args[1] != "-" {
		f, err := os.Open(args[1])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	var rec draw.Record
	dec := json.NewDecoder(in)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return exitError{code: 1, msg: fmt.Sprintf("rekordi i shortit nuk lexohet: %v", err)}
	}
	if err := draw.Verify(rec); err != nil {
		return exitError{code: 1, msg: fmt.Sprintf("shorti %d NUK përputhet: %v", rec.ID, err)}
	}
	fmt.Fprintf(stdout, "Shorti %d (provimi %s, sesioni %d, %s, nr. %d) përputhet: angazhimi %s, %d caktime të rillogaritura nga fara dhe entropia «%s».\n",
		rec.ID, rec.Exam, rec.Session, rec.Unit, rec.Seq, rec.Commitment, len(rec.Result), rec.Entropy)
	return nil
}

// drawVerifyStored checks a stored draw against its record and the audit
// log (draw.Service.Check).
func drawVerifyStored(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("draw verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	id := fs.Int64("id", 0, "the draw's id")
	svcs, err := openServices(ctx, fs, args)
	if err != nil {
		return err
	}
	defer svcs.DB.Close()
	if *id <= 0 {
		return exitError{code: 2, msg: "përdorimi: provim draw verify --db … --id N"}
	}
	rec, err := svcs.Draws.Check(ctx, *id)
	if err != nil {
		return exitError{code: 1, msg: fmt.Sprintf("shorti %d NUK përputhet: %v", *id, err)}
	}
	fmt.Fprintf(stdout, "Shorti %d (provimi %s, sesioni %d, %s, nr. %d, %s) përputhet me rekordin e vet dhe me regjistrin e auditimit.\n",
		rec.ID, rec.Exam, rec.Session, rec.Unit, rec.Seq, rec.Status)
	return nil
}
