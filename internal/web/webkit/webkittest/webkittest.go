// Package webkittest checks the pages of a web area: every template
// parses with the layout and executes with a sample of its view, filled
// by reflection so that every field a template reaches holds a value.
package webkittest

import (
	"io"
	"log/slog"
	"reflect"
	"slices"
	"testing"
	"time"

	"provim/internal/auth"
	"provim/internal/web/webkit"
)

// ExecuteAll parses set with the layout and executes each of its pages
// with views[page] filled (Fill), as the principal of each role. Every
// page of set must have a view, and every view a page.
func ExecuteAll(t *testing.T, set webkit.Templates, views map[string]any) {
	t.Helper()
	kit, err := webkit.New(slog.New(slog.NewTextHandler(io.Discard, nil)), "01.03.2027", nil, set)
	if err != nil {
		t.Fatal(err)
	}
	own := ownPages(t, set)
	for _, page := range own {
		if _, ok := views[page]; !ok {
			t.Errorf("page %s has no sample view", page)
		}
	}
	for page, view := range views {
		if !slices.Contains(own, page) {
			t.Errorf("a sample view for %s, which is not a page of the area", page)
			continue
		}
		for _, role := range auth.Roles {
			p := &auth.Principal{Username: "u", FullName: "U", Role: role, Unit: "DAR-A", School: "A-1", Venue: "Q-A-1", StudentID: 1}
			v := webkit.View{Title: page, P: p, CSRF: "token", Path: "/", Nav: []webkit.Link{{Href: "/", Label: "Paneli"}},
				Flash: "ok", Error: "gabim", Errors: []string{"arsye"}, Data: Fill(view), Today: "01.03.2027"}
			if _, err := kit.Pages().Execute(page, v); err != nil {
				t.Errorf("page %s as %s: %v", page, role, err)
			}
		}
	}
}

// ownPages are the pages of set (the kit's own error page left out).
func ownPages(t *testing.T, set webkit.Templates) []string {
	t.Helper()
	p, err := webkit.NewPages(set)
	if err != nil {
		t.Fatal(err)
	}
	empty, err := webkit.NewPages()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range p.Names() {
		if !slices.Contains(empty.Names(), n) {
			out = append(out, n)
		}
	}
	return out
}

// Fill returns a copy of v with every pointer allocated, every slice and
// map given one element, every string, number and time a non-zero value,
// down to a few levels: a template that reaches a field finds it.
func Fill(v any) any {
	if v == nil {
		return nil
	}
	rv := reflect.New(reflect.TypeOf(v)).Elem()
	rv.Set(reflect.ValueOf(v))
	fill(rv, 0)
	return rv.Interface()
}

var timeType = reflect.TypeOf(time.Time{})

func fill(v reflect.Value, depth int) {
	if depth > 6 || !v.CanSet() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		if v.Type() == timeType {
			if v.Interface().(time.Time).IsZero() {
				v.Set(reflect.ValueOf(time.Date(2027, 6, 8, 5, 30, 0, 0, time.UTC)))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		}
		for i := 0; i < v.Len(); i++ {
			fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		if v.Len() == 0 {
			m := reflect.MakeMap(v.Type())
			k := reflect.New(v.Type().Key()).Elem()
			fill(k, depth+1)
			e := reflect.New(v.Type().Elem()).Elem()
			fill(e, depth+1)
			m.SetMapIndex(k, e)
			v.Set(m)
		}
	case reflect.String:
		if v.String() == "" {
			v.SetString("2027-06-08T05:30:00Z")
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if v.Int() == 0 {
			v.SetInt(1)
		}
	case reflect.Float64:
		if v.Float() == 0 {
			v.SetFloat(8.5)
		}
	case reflect.Bool:
		v.SetBool(true)
	}
}
