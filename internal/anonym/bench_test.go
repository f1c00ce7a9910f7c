package anonym_test

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"provim/internal/anonym"
)

// nationalSets is the label sets of a country of 35,000 candidates in
// 350 venues of 4 rooms of 25: D1 and D2 with pairs for everyone, and four
// electives with triples, each candidate sitting two (ElectiveCount).
func nationalSets() []anonym.LabelSet {
	const venues, rooms, perRoom = 350, 4, 25
	var sets []anonym.LabelSet
	exams := []struct {
		code   string
		labels int
		share  int // of perRoom
	}{{"D1", 2, 25}, {"D2", 2, 25}, {"KIM", 3, 13}, {"HIS", 3, 12}, {"ANG", 3, 13}, {"EKO", 3, 12}}
	for _, e := range exams {
		for v := range venues {
			set := anonym.LabelSet{Year: 2027, Exam: e.code, ExamName: "Lënda " + e.code, VenueCode: fmt.Sprintf("Q-%03d", v),
				VenueName: "Gjimnazi «Çajupi»", Labels: e.labels, Made: time.Date(2027, 6, 7, 12, 0, 0, 0, time.UTC)}
			for r := range rooms {
				room := anonym.LabelRoom{Name: fmt.Sprintf("Salla %d", r+1), Floor: r / 2}
				for range e.share {
					room.Codes = append(room.Codes, anonym.NewCode())
				}
				set.Rooms = append(set.Rooms, room)
			}
			sets = append(sets, set)
		}
	}
	return sets
}

// BenchmarkLabelsNational renders the label sheets of D1, D2 and the
// electives of a 35,000-candidate country as PDFs, as AVA prints them: one
// PDF per DAR and exam (12 DAR, every venue's sheets room by room), one
// worker per core.
func BenchmarkLabelsNational(b *testing.B) {
	sets := nationalSets()
	var jobs [][]anonym.LabelSet
	const regions = 12
	for i := 0; i < len(sets); {
		exam := sets[i].Exam
		j := i
		for j < len(sets) && sets[j].Exam == exam {
			j++
		}
		per := (j - i + regions - 1) / regions
		for k := i; k < j; k += per {
			jobs = append(jobs, sets[k:min(k+per, j)])
		}
		i = j
	}
	renderNational(b, sets, jobs)
}

// BenchmarkLabelsNationalPerVenue renders the same country as one PDF per
// venue and exam (what the venue's PAP and AS download).
func BenchmarkLabelsNationalPerVenue(b *testing.B) {
	sets := nationalSets()
	jobs := make([][]anonym.LabelSet, len(sets))
	for i := range sets {
		jobs[i] = sets[i : i+1]
	}
	renderNational(b, sets, jobs)
}

func renderNational(b *testing.B, sets []anonym.LabelSet, jobs [][]anonym.LabelSet) {
	labels := 0
	for _, s := range sets {
		for _, r := range s.Rooms {
			labels += len(r.Codes) * s.Labels
		}
	}
	b.ResetTimer()
	for range b.N {
		var next, size atomic.Int64
		var wg sync.WaitGroup
		var failed atomic.Value
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= len(jobs) {
						return
					}
					pdf, err := anonym.RenderLabelsMany(jobs[i])
					if err != nil {
						failed.Store(err)
						return
					}
					size.Add(int64(len(pdf)))
				}
			}()
		}
		wg.Wait()
		if err, _ := failed.Load().(error); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(size.Load())/1e6, "MB")
	}
	b.ReportMetric(float64(len(jobs)), "pdfs")
	b.ReportMetric(float64(labels), "labels")
}

func BenchmarkLabelsOneVenue(b *testing.B) {
	set := nationalSets()[0]
	for range b.N {
		if _, err := anonym.RenderLabels(set); err != nil {
			b.Fatal(err)
		}
	}
}
