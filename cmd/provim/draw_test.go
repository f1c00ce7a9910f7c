package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"provim/internal/draw"
)

// publishedDraw is a drawn record computed without a database.
func publishedDraw(t *testing.T) draw.Record {
	in := draw.Inputs{Version: draw.Version, Year: 2027, Session: 1, Exam: "D1", Unit: "DAR-A", ExamSubjects: []string{"D1", "GJSH"},
		Venues: []draw.Venue{
			{Code: "V1", Name: "Qendra 1", Schools: []string{"S1"}, Candidates: 40, Floors: 1, PAP: 1, KMSH: 1,
				Rooms: []draw.Room{{ID: 1, Name: "Salla 1", Candidates: 20, AP: 1}, {ID: 2, Name: "Salla 2", Candidates: 20, AP: 1}}},
			{Code: "V2", Name: "Qendra 2", Schools: []string{"S2"}, Candidates: 20, Floors: 1, PAP: 1, KMSH: 1,
				Rooms: []draw.Room{{ID: 3, Name: "Salla 1", Candidates: 20, AP: 1}}},
		},
		Excluded: []draw.Excluded{}}
	id := int64(0)
	add := func(role, school string, subjects ...string) {
		id++
		in.Pool = append(in.Pool, draw.Person{ID: id, Name: "Personi " + string(rune('A'+id)), Role: role, School: school, Subjects: append([]string{}, subjects...)})
	}
	add(draw.RolePAP, "S1")
	add(draw.RolePAP, "S3")
	add(draw.RolePAP, "")
	add(draw.RoleKMSH, "")
	add(draw.RoleKMSH, "")
	for _, s := range []string{"S1", "S2", "S3", "S3", "S3"} {
		add(draw.RoleAP, s, "FIZ")
	}
	add(draw.RoleAP, "S3", "D1")
	draw.Seal(&in, strings.Repeat("cd", 32))
	seed := strings.Repeat("ab", 32)
	out, err := draw.Compute(in, seed, "7 7 7")
	if err != nil || len(out.Shortages) > 0 {
		t.Fatalf("compute: %v %+v", err, out.Shortages)
	}
	h := draw.InputsHash(in)
	return draw.Record{Version: draw.Version, ID: 5, Year: 2027, Session: 1, Exam: "D1", Unit: "DAR-A", Seq: 1, Status: draw.StatusDrawn,
		Commitment: draw.Commitment(seed, h), InputsHash: h, Inputs: in, Seed: seed, Entropy: "7 7 7", VenueOrder: out.VenueOrder, Result: out.Assignments,
		RosterKey: strings.Repeat("cd", 32)}
}

func TestDrawVerifyCommand(t *testing.T) {
	rec := publishedDraw(t)
	dir := t.TempDir()
	write := func(name string, r draw.Record) string {
		b, _ := json.MarshalIndent(r, "", "  ")
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"draw", "verify", write("ok.json", rec)}, nil, &out, &errOut); code != 0 {
		t.Fatalf("verify a true record: %d %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "përputhet") {
		t.Errorf("output %q", out.String())
	}
	bad := rec
	bad.Result = append([]draw.Assignment(nil), rec.Result...)
	bad.Result[2].Ref, bad.Result[3].Ref = bad.Result[3].Ref, bad.Result[2].Ref
	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), []string{"draw", "verify", write("bad.json", bad)}, nil, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "caktimi 3") {
		t.Errorf("tampered record: %d %q", code, errOut.String())
	}
	b, _ := json.Marshal(rec)
	if code := run(context.Background(), []string{"draw", "verify", "-"}, bytes.NewReader(b), &out, &errOut); code != 0 {
		t.Errorf("stdin: %d", code)
	}
	if code := run(context.Background(), []string{"draw"}, nil, &out, &errOut); code != 2 {
		t.Errorf("usage: %d", code)
	}
}
