package results

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"provim/internal/albanian"
	"provim/internal/auth"
)

// Neni 58 ¶1: the KMSH's page lists its school-year failers with their
// personal numbers and a box each; the sending keeps the failed-mandatory
// candidates and only the failers marked as passed in the autumn.
func TestNeni58_KMSHMarksTheAutumnPassedFailersWhenSending(t *testing.T) {
	k, ids := published(t)
	failers := map[string]int64{}
	for i, last := range []string{"Hoxha", "Kola"} {
		var id int64
		if err := k.DB.QueryRow(`INSERT INTO students (personal_no, first_name, father_name, last_name, sex, birth_date, school_code, category, sort_key, updated_at)
			VALUES ($1, 'Arta', 'Besnik', $2, 'F', '1991-02-02', 'A-1', 'maturant', $3, '2009-01-01T00:00:00Z') RETURNING id`,
			fmt.Sprintf("J9000000%dA", i), last, albanian.SortKey(last, "Arta", "Besnik")).Scan(&id); err != nil {
			t.Fatal(err)
		}
		sqlExec(t, k, `INSERT INTO applications (year, student_id, form, category, status, source, failing, updated_at) VALUES (2009, $1, 'A1', 'maturant', 'registered', 'school', TRUE, '2009-05-28T08:00:00Z')`, id)
		failers[last] = id
	}
	k.At(t, "2009-08-20")
	kmsh := &auth.Principal{Username: "kmsh.a", FullName: "KMSH DAR-A", Role: auth.RoleKMSH, Unit: "DAR-A"}
	srv := testServer(t, k, map[string]*auth.Principal{"kmsh": kmsh})
	get := func() string {
		req, _ := http.NewRequest("GET", srv.URL+"/rezultatet/sesioni-i-dyte", nil)
		req.Header.Set("X-Test-User", "kmsh")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("the list: %d\n%s", resp.StatusCode, b)
		}
		return string(b)
	}
	page := get()
	for _, no := range []string{"J90000000A", "J90000001A"} {
		if !strings.Contains(page, `name="vjeshte" value="`+no+`"`) {
			t.Fatalf("no autumn box for %s:\n%s", no, page)
		}
	}
	form := url.Values{"vjeshte": {"j90000000a"}, "csrf": {"t"}}
	req, _ := http.NewRequest("POST", srv.URL+"/rezultatet/sesioni-i-dyte/dergo", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Test-User", "kmsh")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d\n%s", resp.StatusCode, b)
	}
	sent := map[int64][]string{}
	rows, err := k.DB.Query(`SELECT student_id, exam FROM results_session2 WHERE year = 2009 ORDER BY student_id, exam`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var exam string
		if err := rows.Scan(&id, &exam); err != nil {
			t.Fatal(err)
		}
		sent[id] = append(sent[id], exam)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if got := strings.Join(sent[ids["Çela"]], ","); got != "D1" {
		t.Errorf("the candidate who failed D1: sent %q", got)
	}
	if got := strings.Join(sent[failers["Hoxha"]], ","); got != "D1,D2" {
		t.Errorf("the failer marked as passed in the autumn: sent %q", got)
	}
	if _, ok := sent[failers["Kola"]]; ok {
		t.Errorf("the failer not marked was sent: %v", sent)
	}
	if _, ok := sent[ids["Agolli"]]; ok {
		t.Errorf("another DAR's candidate was sent: %v", sent)
	}
	if !strings.Contains(get(), `value="J90000000A" checked`) {
		t.Errorf("the page does not show the mark sent")
	}
}
