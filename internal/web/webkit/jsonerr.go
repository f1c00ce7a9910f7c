package webkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"provim/internal/apperr"
)

// JSONError says in Albanian where and what is wrong with the JSON text
// raw that a decoder refused with err: the line and column, the words
// around the place, and what the decoder expected, e.g. "rreshti 4, shtylla
// 3 (pranë «, }»): pritej emri i një fushe ose një vlerë, u gjet «}»". what
// names the text ("Konfigurimi", "Trupi i kërkesës").
func JSONError(what, raw string, err error) *apperr.Error {
	var (
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		desc string
		off  int64 = -1
	)
	switch {
	case errors.As(err, &syn):
		off, desc = syn.Offset, syntaxProblem(syn.Error(), raw, syn.Offset)
	case errors.As(err, &typ):
		off = typ.Offset
		field := typ.Field
		if field == "" {
			field = "(rrënja)"
		}
		desc = fmt.Sprintf("fusha «%s» duhet të jetë %s, jo %s", field, jsonKind(typ.Type.Kind().String()), jsonValueKind(typ.Value))
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		off, desc = int64(len(raw)), "teksti mbaron para se të mbyllet çdo { dhe [ (mungon një kllapë mbyllëse ose një thonjëz)"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		off = int64(strings.Index(raw, `"`+name+`"`))
		desc = fmt.Sprintf("fusha «%s» nuk njihet (kontrolloni emrin e saj)", name)
	default:
		return apperr.New(apperr.Invalid, "%s nuk është JSON i vlefshëm.", what)
	}
	if off < 0 {
		return apperr.New(apperr.Invalid, "%s nuk është JSON i vlefshëm: %s.", what, desc)
	}
	line, col, near := position(raw, int(off))
	return apperr.New(apperr.Invalid, "%s nuk është JSON i vlefshëm: rreshti %d, shtylla %d (pranë «%s»): %s.", what, line, col, near, desc)
}

// syntaxProblem turns the decoder's sentence into Albanian.
func syntaxProblem(msg, raw string, off int64) string {
	found := ""
	if off > 0 && int(off) <= len(raw) {
		r, _ := utf8.DecodeLastRuneInString(raw[:off])
		found = string(r)
	}
	switch {
	case strings.Contains(msg, "looking for beginning of object key string"):
		return fmt.Sprintf("pritej emri i një fushe në thonjëza, u gjet «%s» (ndoshta një presje e tepërt para tij)", found)
	case strings.Contains(msg, "looking for beginning of value"):
		return fmt.Sprintf("pritej një vlerë (numër, tekst në thonjëza, true/false, { ose [), u gjet «%s» (ndoshta një presje e tepërt ose një vlerë që mungon)", found)
	case strings.Contains(msg, "after object key:value pair"):
		return fmt.Sprintf("pas një vlere pritej presje ose }, u gjet «%s» (ndoshta mungon një presje)", found)
	case strings.Contains(msg, "after array element"):
		return fmt.Sprintf("pas një elementi të listës pritej presje ose ], u gjet «%s»", found)
	case strings.Contains(msg, "after object key"):
		return fmt.Sprintf("pas emrit të fushës pritej «:», u gjet «%s»", found)
	case strings.Contains(msg, "in string literal"):
		return "një tekst në thonjëza ka një shenjë që nuk lejohet (p.sh. një rresht të ri brenda thonjëzave)"
	case strings.Contains(msg, "after top-level value"):
		return "pas vlerës së plotë ka tekst tjetër"
	case strings.Contains(msg, "in literal"):
		return fmt.Sprintf("fjalë e panjohur pranë «%s» (vlerat e lejuara pa thonjëza janë true, false, null dhe numrat)", found)
	case strings.Contains(msg, "in numeric literal"):
		return "numër i shkruar gabim"
	}
	return fmt.Sprintf("shenjë e papritur «%s»", found)
}

// position is the line and column (from 1, in characters) of byte offset
// off of raw, with the few characters before it.
func position(raw string, off int) (line, col int, near string) {
	if off > len(raw) {
		off = len(raw)
	}
	before := raw[:off]
	line = strings.Count(before, "\n") + 1
	start := strings.LastIndex(before, "\n") + 1
	col = utf8.RuneCountInString(before[start:])
	if col == 0 {
		col = 1
	}
	seg := []rune(strings.TrimSpace(before[start:]))
	if len(seg) > 20 {
		seg = seg[len(seg)-20:]
	}
	return line, col, string(seg)
}

func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"), strings.HasPrefix(k, "float"):
		return "numër"
	case k == "string":
		return "tekst në thonjëza"
	case k == "bool":
		return "true ose false"
	case k == "slice", k == "array":
		return "listë [ … ]"
	case k == "struct", k == "map":
		return "objekt { … }"
	}
	return k
}

func jsonValueKind(v string) string {
	switch v {
	case "number":
		return "numër"
	case "string":
		return "tekst"
	case "bool":
		return "true/false"
	case "array":
		return "listë"
	case "object":
		return "objekt"
	}
	return v
}
