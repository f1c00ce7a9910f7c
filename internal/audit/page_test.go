package audit

import (
	"reflect"
	"testing"
)

// TestChangesInWords: an entry's change is written field by field, before
// → after, with Albanian field names, booleans as Po/Jo and absent values
// as "—"; unchanged fields are left out.
func TestChangesInWords(t *testing.T) {
	t.Parallel()
	e := Entry{Before: `{"disabled":false,"full_name":"Ana Çela","seats":29}`, After: `{"disabled":true,"full_name":"Ana Çela","seats":10,"reason":"Salla u ndoq"}`}
	got := Changes(e)
	want := []Change{{"çaktivizuar", "Jo", "Po"}, {"arsyeja", "—", "Salla u ndoq"}, {"vende", "29", "10"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Changes = %v, want %v", got, want)
	}
	if got := Changes(Entry{After: `{"at":"2027-06-08T06:00:00Z"}`}); len(got) != 1 || got[0].After != "08.06.2027 08:00" {
		t.Fatalf("a moment in Tirana time: %v", got)
	}
	if TypeLabel("custody_handover") != "Dorëzim materialesh" || TypeLabel("some_new_type") != "some new type" || ActionLabel("create") != "krijoi" {
		t.Fatal("labels")
	}
}
