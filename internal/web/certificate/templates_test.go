package certificate

import (
	"testing"
	"time"

	"provim/internal/certificate"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	at := time.Date(2027, 7, 20, 8, 0, 0, 0, time.UTC)
	exams := []certificate.Exam{{Exam: "D1", Subject: "GJSH", SubjectName: "Gjuhë shqipe dhe letërsi", Points: 40, MaxPoints: 60, Grade: 8, Passed: true, Year: 2027}}
	c := certificate.Certificate{Number: certificate.Number(2027, 1), Year: 2027, FullName: "Arbër (Ilir) Çela", PersonalNo: "J80501001A",
		SchoolCode: "A-1", SchoolName: "Gjimnazi Çajupi", Exams: exams, IssuedAt: at}
	revoked := c
	revoked.RevokedAt, revoked.RevokeReason, revoked.ReplacedBy = at, certificate.ReasonRemark, certificate.Number(2027, 2)
	pages := map[string]any{
		"certificate_check": checkView{Number: c.Number, Answer: &certificate.Answer{Status: certificate.StatusValid, Number: c.Number, FullName: c.FullName,
			Year: 2027, Exams: exams, IssuedAt: at}},
		"certificate_revoked": revokedView{List: []certificate.Revocation{{Number: c.Number, RevokedAt: at, Reason: certificate.ReasonRemark, ReplacedBy: revoked.ReplacedBy}}, Next: c.Number},
		"certificate_list":    listView{List: []certificate.Certificate{c, revoked}, School: "A-1", Next: c.Number, Issue: true},
		"certificate_view":    certView{C: revoked, Revoke: true},
		"certificate_none":    nil,
	}
	webkittest.ExecuteAll(t, Templates, pages)
}
