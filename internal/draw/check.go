package draw

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"

	"provim/internal/audit"
)

// Check verifies a stored draw as `provim draw verify --db` does (issue
// 10, item 9): the record recomputes from its lists, seed and entropy
// (Verify), and it says what the hash-chained audit log says of it — the
// commitment and lists' hash of "draw.commit", the seed, entropy and hash
// of the published result of "draw.run". It returns the record checked.
func (s *Service) Check(ctx context.Context, id int64) (Record, error) {
	rec, seed, err := s.load(ctx, id)
	if err != nil {
		return Record{}, err
	}
	rec.Seed = seed
	if rec.Status == StatusDrawn {
		if err := Verify(rec); err != nil {
			return rec, err
		}
	}
	entries, err := audit.Query(ctx, s.db.DB, objectType, strconv.FormatInt(id, 10), 1000)
	if err != nil {
		return rec, err
	}
	logged := map[string]json.RawMessage{}
	// Query lists newest first: fold oldest first.
	for i := len(entries) - 1; i >= 0; i-- {
		var m map[string]json.RawMessage
		if json.Unmarshal([]byte(entries[i].After), &m) == nil {
			for k, v := range m {
				logged[k] = v
			}
		}
	}
	if len(entries) == 0 {
		return rec, fmt.Errorf("shorti %d nuk ka asnjë hyrje në regjistrin e auditimit: u shtua jashtë provim-it", id)
	}
	if rec.Status == StatusDrawn {
		if _, ok := logged["entropy"]; !ok {
			return rec, fmt.Errorf("shorti %d figuron i hedhur, por regjistri i auditimit nuk ka hedhjen e tij", id)
		}
	}
	img := auditImage(rec)
	keys := make([]string, 0, len(img))
	for k := range img {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		raw, ok := logged[k]
		if !ok {
			continue
		}
		var want, have any
		b, _ := json.Marshal(img[k])
		json.Unmarshal(b, &have)
		json.Unmarshal(raw, &want)
		if !reflect.DeepEqual(want, have) {
			return rec, fmt.Errorf("shorti %d: %s në bazën e të dhënave është %s, regjistri i auditimit ka %s (rekordi u rishkrua jashtë provim-it)", id, k, b, raw)
		}
	}
	return rec, nil
}
