package web

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/pdf"
	"provim/internal/registry"
)

// apiApplicationRoutes are the JSON endpoints of the application phase
// (package application). The exam year is always the active one.
func (s *Server) apiApplicationRoutes(mux *http.ServeMux) {
	// Forms A1/A1z and their history.
	mux.HandleFunc("GET /api/v1/applications", s.api(s.apiApplications))
	mux.HandleFunc("GET /api/v1/applications/{id}", s.api(s.apiApplication))
	mux.HandleFunc("GET /api/v1/applications/{id}/history", s.api(s.apiApplicationHistory))
	mux.HandleFunc("POST /api/v1/applications/a1", s.api(s.apiFileA1))
	mux.HandleFunc("POST /api/v1/applications/special", s.api(s.apiRegisterSpecial))
	mux.HandleFunc("POST /api/v1/application-imports/{form}", s.api(s.apiImportForms))
	mux.HandleFunc("POST /api/v1/applications/{id}/corrections", s.api(s.apiCorrectApplication))
	mux.HandleFunc("GET /api/v1/students/{id}/application", s.api(s.apiStudentApplication))
	mux.HandleFunc("GET /api/v1/application-documents", s.api(s.apiApplicationDocuments))

	// The school (KSHMSH): confirmation, table T, failing students.
	mux.HandleFunc("POST /api/v1/schools/{code}/applications/confirm", s.api(s.apiConfirmApplications))
	mux.HandleFunc("GET /api/v1/schools/{code}/table-t", s.api(s.apiTableT))
	mux.HandleFunc("POST /api/v1/schools/{code}/table-t/send", s.api(s.apiSendTableT))
	mux.HandleFunc("POST /api/v1/schools/{code}/table-t/verify", s.api(s.apiVerifyTableT))
	mux.HandleFunc("POST /api/v1/schools/{code}/failing", s.api(s.apiMarkFailing))

	// The region (KMSH) and AVA.
	mux.HandleFunc("POST /api/v1/units/{code}/lists/send", s.api(s.apiSendUnitLists))
	mux.HandleFunc("POST /api/v1/units/{code}/failing/send", s.api(s.apiSendUnitFailing))
	mux.HandleFunc("POST /api/v1/registration-numbers", s.api(s.apiAssignRegistrationNumbers))
	mux.HandleFunc("POST /api/v1/final-lists", s.api(s.apiBuildFinalLists))
	mux.HandleFunc("GET /api/v1/final-lists/{exam}", s.api(s.apiFinalList))

	// Form A2 and the study programmes.
	mux.HandleFunc("GET /api/v1/programmes", s.api(s.apiProgrammes))
	mux.HandleFunc("PUT /api/v1/programmes", s.api(s.apiSaveProgrammes))
	mux.HandleFunc("GET /api/v1/students/{id}/a2", s.api(s.apiStudentA2))
	mux.HandleFunc("POST /api/v1/a2", s.api(s.apiFileA2))

	// Earlier results and exclusions (AVA).
	mux.HandleFunc("GET /api/v1/students/{id}/results", s.api(s.apiStudentResults))
	mux.HandleFunc("POST /api/v1/students/{id}/results", s.api(s.apiRecordResults))
	mux.HandleFunc("POST /api/v1/students/{id}/exclusions", s.api(s.apiRecordExclusion))
}

// positiveID reads the numeric path value {id}. Anything that is not a
// positive number names no record: not_found, never id 0.
func positiveID(r *http.Request, what string) (int64, error) {
	raw := r.PathValue("id")
	if id := atoi64(raw); id > 0 && strconv.FormatInt(id, 10) == raw {
		return id, nil
	}
	return 0, apperr.New(apperr.NotFound, "%s «%s» nuk u gjet.", what, raw)
}

// decodeOptional is decode for action bodies whose fields all have a
// meaning when absent: an empty body reads as {}.
func decodeOptional(r *http.Request, v any) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	br := bufio.NewReader(r.Body)
	if _, err := br.Peek(1); errors.Is(err, io.EOF) {
		return nil
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{br, r.Body}
	return decode(r, v)
}

// queryBool reads an optional boolean query parameter ("true", "1",
// "false", "0", …); absent is def.
func queryBool(r *http.Request, name string, def bool) (bool, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return false, apperr.New(apperr.Invalid, "Parametri «%s» duhet të jetë true ose false, jo «%s».", name, raw)
	}
	return b, nil
}

// lateBody is the body of an action that may be done after its deadline
// by a higher level, with a reason.
type lateBody struct {
	LateReason string `json:"late_reason"`
}

// ---- forms A1/A1z ----

func (s *Server) apiApplications(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	q := r.URL.Query()
	failing, err := queryBool(r, "failing", false)
	if err != nil {
		return err
	}
	f := application.Filter{School: q.Get("school"), Unit: q.Get("unit"), Status: q.Get("status"), Category: q.Get("category"),
		Q: q.Get("q"), Failing: failing, Page: registry.Page{Offset: atoi(q.Get("offset")), Limit: atoi(q.Get("limit"))}}
	list, total, err := s.apps.List(r.Context(), p, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "items": nonNil(list)})
	return nil
}

func (s *Server) apiApplication(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Formulari")
	if err != nil {
		return err
	}
	a, err := s.apps.Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) apiApplicationHistory(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Formulari")
	if err != nil {
		return err
	}
	h, err := s.apps.History(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(h)})
	return nil
}

func (s *Server) apiStudentApplication(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Nxënësi")
	if err != nil {
		return err
	}
	a, err := s.apps.ForStudent(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// hasApplication reports whether the student already has an application
// this year that the caller can see, to answer 201 or 200 for a filing.
// Errors are left to the filing itself, which checks the same and more.
func (s *Server) hasApplication(r *http.Request, p *auth.Principal, studentID int64) bool {
	_, err := s.apps.ForStudent(r.Context(), p, studentID)
	return err == nil
}

func (s *Server) apiFileA1(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in application.A1Input
	if err := decode(r, &in); err != nil {
		return err
	}
	existed := s.hasApplication(r, p, in.StudentID)
	a, err := s.apps.FileA1(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, savedStatus(!existed), a)
	return nil
}

func (s *Server) apiRegisterSpecial(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in application.SpecialInput
	if err := decode(r, &in); err != nil {
		return err
	}
	existed := s.hasApplication(r, p, in.StudentID)
	a, err := s.apps.RegisterSpecial(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, savedStatus(!existed), a)
	return nil
}

func (s *Server) apiCorrectApplication(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Formulari")
	if err != nil {
		return err
	}
	var in application.CorrectionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.apps.Correct(r.Context(), p, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// apiApplicationDocuments lists the documents the KMSH checks before it
// registers a special category, for its forms. resit defaults to what
// RegisterSpecial asks: a Neni 26 candidate registers to resit.
func (s *Server) apiApplicationDocuments(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := auth.Require(p, auth.Roles...); err != nil {
		return err
	}
	category := r.URL.Query().Get("category")
	if !slices.Contains(application.Categories, category) {
		return &apperr.Error{Code: apperr.Invalid,
			Message: fmt.Sprintf("Kategoria «%s» nuk njihet; kategoritë janë: %s.", category, strings.Join(application.Categories, ", ")),
			Details: slices.Clone(application.Categories)}
	}
	resit, err := queryBool(r, "resit", category == application.Neni26)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"category": category, "label": application.CategoryLabel(category),
		"form": application.FormFor(category), "resit": resit, "items": nonNil(application.RequiredDocuments(category, resit))})
	return nil
}

// ---- the school ----

func (s *Server) apiConfirmApplications(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		IDs        []int64 `json:"ids"`
		LateReason string  `json:"late_reason"`
	}
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	n, err := s.apps.Confirm(r.Context(), p, r.PathValue("code"), in.IDs, in.LateReason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"confirmed": n})
	return nil
}

// Media types of the documents the API renders.
const (
	mediaPDF  = "application/pdf"
	mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// writeDocument answers a printable table as JSON (v), PDF or XLSX by the
// format query parameter. The file is rendered into memory first, so an
// error never sends half a file; name is the download's name without its
// extension.
func writeDocument(w http.ResponseWriter, r *http.Request, v any, doc func() pdf.Table, name string) error {
	format := r.URL.Query().Get("format")
	if format == "" || format == "json" {
		writeJSON(w, http.StatusOK, v)
		return nil
	}
	body, media, err := encodeDocument(doc(), format)
	if err != nil {
		return err
	}
	sendDocument(w, media, name+"."+format, body)
	return nil
}

// encodeDocument renders a printable table as a file, "pdf" or "xlsx",
// whole in memory so that an error never sends half a file.
func encodeDocument(doc pdf.Table, format string) ([]byte, string, error) {
	var buf bytes.Buffer
	switch format {
	case "pdf":
		if err := pdf.WriteTable(&buf, doc); err != nil {
			return nil, "", err
		}
		return buf.Bytes(), mediaPDF, nil
	case "xlsx":
		if err := application.WriteXLSX(&buf, doc); err != nil {
			return nil, "", err
		}
		return buf.Bytes(), mediaXLSX, nil
	}
	return nil, "", apperr.New(apperr.Invalid, "Formati «%s» nuk njihet: json, pdf ose xlsx.", format)
}

func (s *Server) apiTableT(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	t, err := s.apps.TableT(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	t.Rows = nonNil(t.Rows)
	return writeDocument(w, r, t, func() pdf.Table { return t.Document(s.apps.Now()) },
		fmt.Sprintf("tabela-T-%s-%d", t.SchoolCode, t.Year))
}

func (s *Server) apiSendTableT(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	n, err := s.apps.SendToKMSH(r.Context(), p, r.PathValue("code"), in.LateReason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"forms": n})
	return nil
}

func (s *Server) apiVerifyTableT(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	n, err := s.apps.VerifySchool(r.Context(), p, r.PathValue("code"), in.LateReason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"verified": n})
	return nil
}

func (s *Server) apiMarkFailing(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		IDs        []int64 `json:"ids"`
		Failing    *bool   `json:"failing"`
		LateReason string  `json:"late_reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	// Required: a missing "failing" must not silently take marks back.
	if in.Failing == nil {
		return apperr.New(apperr.Invalid, "Mungon fusha «failing»: true shënon mbetës, false heq shënimin.")
	}
	n, err := s.apps.MarkFailing(r.Context(), p, r.PathValue("code"), in.IDs, *in.Failing, in.LateReason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"changed": n})
	return nil
}

// ---- the region and AVA ----

func (s *Server) apiSendUnitLists(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	n, err := s.apps.SendUnitToAVA(r.Context(), p, r.PathValue("code"), in.LateReason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"forms": n})
	return nil
}

func (s *Server) apiSendUnitFailing(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	n, err := s.apps.SendFailingToAVA(r.Context(), p, r.PathValue("code"), in.LateReason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"failing": n})
	return nil
}

func (s *Server) apiAssignRegistrationNumbers(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	n, err := s.apps.AssignRegistrationNumbers(r.Context(), p, in.LateReason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"assigned": n})
	return nil
}

func (s *Server) apiBuildFinalLists(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in lateBody
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	sum, err := s.apps.BuildFinalLists(r.Context(), p, in.LateReason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// examName names an exam of the final lists (D1, D2 or an elective's
// code) from the year's subjects; ok is false for an exam the year does
// not hold.
func examName(cfg examyear.Config, exam string) (string, bool) {
	for _, sub := range cfg.Subjects {
		switch {
		case (exam == examyear.KindD1 || exam == examyear.KindD2) && sub.Kind == exam:
			return sub.Name, true
		case sub.Code == exam && sub.Kind == examyear.KindElective:
			return sub.Name, true
		}
	}
	return "", false
}

func (s *Server) apiFinalList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	exam := strings.ToUpper(strings.TrimSpace(r.PathValue("exam")))
	school := r.URL.Query().Get("school")
	list, err := s.apps.FinalList(r.Context(), p, exam, school)
	if err != nil {
		return err
	}
	y, err := s.years.Active(r.Context())
	if err != nil {
		return err
	}
	subject, ok := examName(y.Config, exam)
	if !ok {
		return apperr.New(apperr.NotFound, "Provimi «%s» nuk është provim i Maturës %d.", exam, y.Year)
	}
	list = nonNil(list)
	doc := func() pdf.Table {
		t := pdf.Table{
			Title: "Lista emërore përfundimtare — " + exam,
			Subtitle: []string{
				fmt.Sprintf("Matura Shtetërore %d, viti shkollor %s · Neni 36", y.Year, y.Config.SchoolYear),
				fmt.Sprintf("Provimi: %s (%s)", exam, subject),
			},
			Columns: []pdf.Column{
				{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Nr. regjistrimi", Width: 1.2},
				{Title: "Emri (atësia) mbiemri", Width: 3}, {Title: "Datëlindja", Width: 1.1}, {Title: "Shkolla", Width: 3},
			},
			Generated: s.apps.Now(),
		}
		if school != "" {
			t.Subtitle = append(t.Subtitle, "Shkolla: "+school)
		}
		t.Subtitle = append(t.Subtitle, fmt.Sprintf("Kandidatë: %d", len(list)))
		for i, e := range list {
			t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), e.RegNo, e.FullName, albanian.DateString(e.BirthDate),
				e.SchoolName + " (" + e.SchoolCode + ")"})
		}
		return t
	}
	name := fmt.Sprintf("lista-%s-%d", exam, y.Year)
	if school != "" {
		name += "-" + school
	}
	return writeDocument(w, r, map[string]any{"year": y.Year, "exam": exam, "subject": subject, "total": len(list), "items": list}, doc, name)
}

// ---- form A2 and the programmes ----

func (s *Server) apiProgrammes(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := s.apps.Programmes(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(list)})
	return nil
}

func (s *Server) apiSaveProgrammes(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	// Role first: a caller who may not edit the catalogue learns nothing
	// about the body.
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return err
	}
	var in struct {
		Items []application.Programme `json:"items"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.apps.SaveProgrammes(r.Context(), p, in.Items); err != nil {
		return err
	}
	return s.apiProgrammes(w, r, p)
}

func (s *Server) apiStudentA2(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Nxënësi")
	if err != nil {
		return err
	}
	f, err := s.apps.GetA2(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

func (s *Server) apiFileA2(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in application.A2Input
	if err := decode(r, &in); err != nil {
		return err
	}
	_, err := s.apps.GetA2(r.Context(), p, in.StudentID)
	existed := err == nil
	f, err := s.apps.FileA2(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, savedStatus(!existed), f)
	return nil
}

// ---- results and exclusions ----

func (s *Server) apiStudentResults(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Nxënësi")
	if err != nil {
		return err
	}
	list, err := s.apps.Results(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(list)})
	return nil
}

func (s *Server) apiRecordResults(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Nxënësi")
	if err != nil {
		return err
	}
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return err
	}
	var in struct {
		Results []application.Result `json:"results"`
		Source  string               `json:"source"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.apps.RecordResults(r.Context(), p, id, in.Results, in.Source); err != nil {
		return err
	}
	return s.apiStudentResults(w, r, p)
}

func (s *Server) apiRecordExclusion(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Nxënësi")
	if err != nil {
		return err
	}
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return err
	}
	var in application.Exclusion
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.apps.RecordExclusion(r.Context(), p, id, in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiImportForms enters paper forms A1/A1z ("a1") or A2 ("a2") from a CSV
// or XLSX file, all or nothing; a refused file answers 422 with every bad
// row. ?late_reason= lets a higher level import after the deadline.
func (s *Server) apiImportForms(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	form := r.PathValue("form")
	importer := map[string]func(context.Context, *auth.Principal, string, io.Reader, string) (int, error){
		"a1": s.apps.ImportA1, "a2": s.apps.ImportA2,
	}[form]
	if importer == nil {
		return apperr.New(apperr.NotFound, "Nuk ka import për formularin «%s» (a1 ose a2).", form)
	}
	// The role first, before reading the file.
	if err := auth.Require(p, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return err
	}
	var n int
	err := withUpload(w, r, form+".csv", func(name string, file io.Reader) (err error) {
		n, err = importer(r.Context(), p, name, file, r.URL.Query().Get("late_reason"))
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"form": form, "changed": n})
	return nil
}
