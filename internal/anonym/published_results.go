package anonym

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"provim/internal/store"
)

// What the results phase (Neni 58: "lidhja e kodeve të sekretimit me ID e
// nxënësve … bëhet nga AVA") reads of the link once k holders opened it.
// Before the opening both answer nothing: the link is sealed. Each read
// runs on db.Q(ctx), so it joins the caller's transaction.

// Link is one opened code and its candidate.
type Link struct {
	Code      string
	StudentID int64
}

// OpenedLinks returns the opened link of an exam, by code; empty before
// the opening.
func (s *Service) OpenedLinks(ctx context.Context, year int, exam string) ([]Link, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Link, error) {
		var l Link
		return l, r.Scan(&l.Code, &l.StudentID)
	}, `SELECT code, student_id FROM anonym_opened WHERE year = $1 AND exam = $2 ORDER BY code`, year, normExam(exam))
	if err != nil {
		return nil, fmt.Errorf("anonym: opened links: %w", err)
	}
	return out, nil
}

// StudentOfCode returns the candidate of an opened code; false before the
// opening or for a code that was not used.
func (s *Service) StudentOfCode(ctx context.Context, year int, exam, code string) (int64, bool, error) {
	c, _ := Normalize(code)
	var id int64
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT student_id FROM anonym_opened WHERE year = $1 AND exam = $2 AND code = $3`, year, normExam(exam), c).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("anonym: opened link: %w", err)
	}
	return id, true, nil
}
