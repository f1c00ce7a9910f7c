package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"go.yaml.in/yaml/v4"
)

// apiSpec is api/openapi.yaml loaded and validated by kin-openapi, a
// standard OpenAPI parser, and a router over its paths; loaded once for
// every test of the package.
var apiSpec = sync.OnceValues(func() (routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(specFile)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, err
	}
	// The servers entry is relative ("/"): route on the path alone.
	doc.Servers = nil
	return legacy.NewRouter(doc)
})

// TestOpenAPISpecParses loads api/openapi.yaml with kin-openapi and
// validates it as an OpenAPI document (duplicated keys, unresolved
// references, undeclared tags and malformed schemas fail here).
func TestOpenAPISpecParses(t *testing.T) {
	t.Parallel()
	// kin-openapi's YAML reader keeps the last of two equal keys; a strict
	// YAML parser (and many OpenAPI tools) refuse the file.
	raw, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s is not valid YAML: %v", specFile, err)
	}
	if _, err := apiSpec(); err != nil {
		t.Fatalf("%s: %v", specFile, err)
	}
	doc, err := openapi3.NewLoader().LoadFromFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	var declared []string
	for _, tag := range doc.Tags {
		declared = append(declared, tag.Name)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if len(op.Tags) == 0 {
				t.Errorf("%s %s has no tag", method, path)
			}
			for _, tag := range op.Tags {
				if !slices.Contains(declared, tag) {
					t.Errorf("%s %s uses the tag %q, which the top-level tags list does not declare", method, path, tag)
				}
			}
			if method == http.MethodGet {
				for status, resp := range op.Responses.Map() {
					if !strings.HasPrefix(status, "2") || resp.Value == nil {
						continue
					}
					for ct, mt := range resp.Value.Content {
						if ct == "application/json" && bareObject(mt.Schema) {
							t.Errorf("GET %s answers %s with a bare object schema: describe its properties", path, status)
						}
					}
				}
			}
		}
	}
}

// bareObject reports whether a schema is an object with nothing said
// about its properties (so nothing can be checked against it).
func bareObject(ref *openapi3.SchemaRef) bool {
	if ref == nil || ref.Value == nil || ref.Ref != "" {
		return false
	}
	s := ref.Value
	return s.Type.Is("object") && len(s.Properties) == 0 && s.AdditionalProperties.Schema == nil &&
		len(s.AllOf) == 0 && len(s.OneOf) == 0 && len(s.AnyOf) == 0
}

// checkAPIResponse validates one answer of the API against
// api/openapi.yaml: the status must be documented for the operation and
// the body must match the schema of that status. The fixture's api helper
// calls it for every request, so every API call a test makes (the
// authorisation matrix's among them) checks the spec against the code.
// A path the spec does not describe is left to TestOpenAPICoversEveryRoute
// (tests call unknown paths on purpose).
func checkAPIResponse(t *testing.T, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	router, err := apiSpec()
	if err != nil {
		t.Errorf("%s: %v", specFile, err)
		return
	}
	if !strings.HasPrefix(req.URL.Path, "/api/") {
		return
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s answered %d, which does not conform to %s:%s\n%s", req.Method, req.URL.RequestURI(), status, specFile, schemaProblems(err), snippet(string(body)))
	}
}

// schemaProblems lists the problems of a failed response validation, one
// a line, each as the JSON pointer into the body and the reason (without
// the schema kin-openapi prints in full).
func schemaProblems(err error) string {
	var out strings.Builder
	var walk func(error)
	walk = func(err error) {
		var multi openapi3.MultiError
		var se *openapi3.SchemaError
		switch {
		case errors.As(err, &multi):
			for _, e := range multi {
				walk(e)
			}
		case errors.As(err, &se):
			fmt.Fprintf(&out, "\n\tat /%s: %s", strings.Join(se.JSONPointer(), "/"), se.Reason)
		default:
			fmt.Fprintf(&out, "\n\t%v", err)
		}
	}
	walk(err)
	return out.String()
}

// TestAPIAnswersMatchTheSpec calls every GET operation of api/openapi.yaml
// as AVA (the public ones anonymously) on the fixture's country, with the
// home side's objects in the path, and checks each answer against the
// spec (the fixture's api helper validates it): success and refusal
// bodies alike. The other tests of the package check the answers of every
// call they make the same way, the authorisation matrix's among them.
func TestAPIAnswersMatchTheSpec(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	doc, err := openapi3.NewLoader().LoadFromFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	app := appOf(t, f, f.home.student)
	fill := func(path string) string {
		r := strings.NewReplacer(
			"/students/{id}", fmt.Sprintf("/students/%d", f.home.student),
			"/staff/{id}", fmt.Sprintf("/staff/%d", f.home.staff),
			"/applications/{id}", fmt.Sprintf("/applications/%d", app),
			"/schools/{code}", "/schools/"+f.home.school,
			"/venues/{code}", "/venues/"+f.home.venue,
			"/units/{code}", "/units/DAR-A",
			"{unit}", "DAR-A",
			"{venue}", f.home.venue,
			"{exam}", "D1",
			"{code}", "A-1",
			"{entity}", "students",
			"{year}", "2009",
			"{room}", "1",
			"{id}", "1",
			"{no}", "1",
			"{regno}", "090000010", // remark
		)
		return r.Replace(path)
	}
	var paths []string
	for path, item := range doc.Paths.Map() {
		if item.Get != nil {
			paths = append(paths, path)
		}
	}
	slices.Sort(paths)
	for _, path := range paths {
		p := fill(path)
		if strings.Contains(p, "{") {
			t.Errorf("GET %s: no value for its path parameter", path)
			continue
		}
		user := "ava"
		if sec := doc.Paths.Value(path).Get.Security; sec != nil && len(*sec) == 0 { // security: [] — public
			user = ""
		}
		code, body := f.api(t, user, http.MethodGet, p, nil)
		if code >= 500 {
			t.Errorf("GET %s: %d\n%s", p, code, snippet(body))
		}
	}
	t.Logf("%d GET operations called", len(paths))
}
