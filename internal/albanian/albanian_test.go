package albanian

import (
	"bytes"
	"reflect"
	"testing"
)

func TestAlbanianOrder(t *testing.T) {
	got := []string{"Zeqo", "Ëngjëlli", "Dhimitri", "Çela", "Cani", "Dema", "Emini", "Shehu", "Sula", "Xhafa", "Xani", "Lleshi", "Luka"}
	SortStrings(got)
	want := []string{"Cani", "Çela", "Dema", "Dhimitri", "Emini", "Ëngjëlli", "Luka", "Lleshi", "Sula", "Shehu", "Xani", "Xhafa", "Zeqo"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if bytes.Compare(SortKey("Çela"), SortKey("Dema")) >= 0 || bytes.Compare(SortKey("Cani"), SortKey("Çela")) >= 0 {
		t.Fatal("sort keys do not follow Albanian order")
	}
	type p struct{ n string }
	items := []p{{"Ëlsa"}, {"Era"}, {"Dorina"}}
	SortBy(items, func(x p) string { return x.n })
	if items[0].n != "Dorina" || items[1].n != "Era" || items[2].n != "Ëlsa" {
		t.Fatalf("SortBy: %v", items)
	}
}

func TestMonthDay(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"12-31": "31 dhjetor", "01-31": "31 janar", "11-01": "1 nëntor", "02-29": "29 shkurt", "13-01": "13-01", "12-32": "12-32", "": ""} {
		if got := MonthDay(in); got != want {
			t.Errorf("MonthDay(%q) = %q, want %q", in, got, want)
		}
	}
}
