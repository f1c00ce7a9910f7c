package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"provim/internal/draw"
)

const drawUsage = `provim draw verify FILE|-

Recomputes the assignment of a published draw record (the JSON of
GET /api/v1/public/draws/{id}, or "-" for standard input) from its lists,
seed and entropy with the algorithm documented in package draw, and
checks the commitment. Exits 0 when everything matches, 1 naming the first
difference.
`

// cmdDraw is "provim draw verify": anyone can check a published draw
// without access to the database.
func cmdDraw(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) != 2 || args[0] != "verify" {
		fmt.Fprint(stderr, drawUsage)
		return exitError{code: 2, msg: "përdorimi: provim draw verify FILE|-"}
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
