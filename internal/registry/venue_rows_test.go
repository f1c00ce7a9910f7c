package registry_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"provim/internal/registry"
	"provim/internal/store/storetest"
)

// Every row of one venue in a file must describe the venue the same way:
// a row that differs from an earlier row of its venue is refused, naming
// the venue, whatever rows of other venues lie between; rows of other
// venues are never compared with it. A national file of thousands of
// rooms is checked in one pass.
func TestVenueRowsAgreeWithTheirVenueOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := registry.NewService(storetest.Open(t))
	if _, err := s.Import(ctx, ava, "units", "u.csv", strings.NewReader(unitsCSV), nil); err != nil {
		t.Fatal(err)
	}
	head := "kodi_qendres,emri_qendres,kodi_dar_za,qyteti,salla,vende\n"
	var file strings.Builder
	file.WriteString(head)
	for v := range 1500 {
		for r := range 4 {
			fmt.Fprintf(&file, "Q-%04d,Qendra %d,DAR-TR,Tiranë,S%d,20\n", v, v, r)
		}
	}
	// Line 3 of Q-0002's rows names it otherwise; a later row of it that
	// agrees with its first row is still refused (it differs from line 3).
	bad := head + "Q-0001,Qendra 1,DAR-TR,Tiranë,S1,20\nQ-0002,Qendra 2,DAR-TR,Tiranë,S1,20\nQ-0002,Qendra Dy,DAR-TR,Tiranë,S2,20\n" +
		"Q-0003,Qendra 3,DAR-TR,Durrës,S1,20\nQ-0002,Qendra 2,DAR-TR,Tiranë,S3,20\n"
	_, err := s.Import(ctx, ava, "venues", "q.csv", strings.NewReader(bad), nil)
	var ie *registry.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("a file describing a venue two ways: %v", err)
	}
	var lines []int
	for _, r := range ie.Rows {
		if strings.Contains(strings.Join(r.Reasons, ";"), "të dhënat e qendrës «Q-0002» ndryshojnë nga rreshtat e mëparshëm") {
			lines = append(lines, r.Line)
		}
	}
	if fmt.Sprint(lines) != "[4 6]" {
		t.Fatalf("refused lines %v (%v), want [4 6]", lines, ie.Rows)
	}
	res, err := s.Import(ctx, ava, "venues", "q.csv", strings.NewReader(file.String()), nil)
	if err != nil || res.Created != 6000 {
		t.Fatalf("%+v %v", res, err)
	}
}
