package marking

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Charts of the quality board as SVG written on the server (no script):
// every text in them is escaped here, so the result is safe to embed in
// a page as template.HTML.

// Bar is one bar of a bar chart.
type Bar struct {
	Label string
	Value float64 // 0…1
	Warn  bool
}

// Line is one line of a line chart: a value per x (NaN where none).
type Line struct {
	Label  string
	Values []float64
	Warn   bool
}

const (
	chartWidth = 640
	chartLeft  = 170
	chartRight = 20
)

func esc(s string) string { return template.HTMLEscapeString(s) }

// BarChart draws a horizontal bar per entry, values as shares (0–100%),
// with a dashed mark at ref (the subject's figure; negative for none).
func BarChart(title string, bars []Bar, ref float64) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	const row = 22
	h := 30 + row*len(bars) + 20
	span := float64(chartWidth - chartLeft - chartRight)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s"><title>%s</title>`,
		chartWidth, h, esc(title), esc(title))
	fmt.Fprintf(&b, `<text x="0" y="16" font-size="13" font-weight="bold">%s</text>`, esc(title))
	for i, bar := range bars {
		y := 30 + i*row
		v := math.Max(0, math.Min(1, bar.Value))
		fill := "#4a7ab5"
		if bar.Warn {
			fill = "#c0392b"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text>`, chartLeft-6, y+14, esc(bar.Label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %.0f%%</title></rect>`,
			chartLeft, y+2, v*span, row-6, fill, esc(bar.Label), v*100)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11">%.0f%%</text>`, float64(chartLeft)+v*span+4, y+14, v*100)
	}
	if ref >= 0 {
		x := float64(chartLeft) + math.Min(1, ref)*span
		fmt.Fprintf(&b, `<line x1="%.1f" y1="26" x2="%.1f" y2="%d" stroke="#333" stroke-dasharray="4 3"/>`, x, x, h-16)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" text-anchor="middle">lënda %.0f%%</text>`, x, h-4, ref*100)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// LineChart draws a line per entry over the labels of xs, around 0, with
// a shaded band of ±band (the tolerance).
func LineChart(title string, xs []string, lines []Line, band float64) template.HTML {
	if len(xs) == 0 || len(lines) == 0 {
		return ""
	}
	const top, height, left = 30, 180, 50
	lim := math.Max(band*1.5, 1)
	for _, l := range lines {
		for _, v := range l.Values {
			if !math.IsNaN(v) {
				lim = math.Max(lim, math.Abs(v))
			}
		}
	}
	lim = math.Ceil(lim)
	span := float64(chartWidth - left - chartRight)
	x := func(i int) float64 {
		if len(xs) == 1 {
			return float64(left) + span/2
		}
		return float64(left) + span*float64(i)/float64(len(xs)-1)
	}
	y := func(v float64) float64 { return top + height/2 - v/lim*height/2 }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s"><title>%s</title>`,
		chartWidth, top+height+40, esc(title), esc(title))
	fmt.Fprintf(&b, `<text x="0" y="16" font-size="13" font-weight="bold">%s</text>`, esc(title))
	fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%.1f" height="%.1f" fill="#e8f0e8"/>`, left, y(band), span, y(-band)-y(band))
	fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888"/>`, left, y(0), float64(left)+span, y(0))
	for _, v := range []float64{lim, 0, -lim} {
		label := fmt.Sprintf("%+.0f", v)
		if v == 0 {
			label = "0"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="11" text-anchor="end">%s</text>`, left-6, y(v)+4, label)
	}
	for i, d := range xs {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" text-anchor="middle">%s</text>`, x(i), top+height+16, esc(d))
	}
	for _, l := range lines {
		stroke, width := "#9aa7b5", 1.2
		if l.Warn {
			stroke, width = "#c0392b", 2.5
		}
		var pts []string
		for i, v := range l.Values {
			if i < len(xs) && !math.IsNaN(v) {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
			}
		}
		if len(pts) == 0 {
			continue
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%.1f"><title>%s</title></polyline>`,
			strings.Join(pts, " "), stroke, width, esc(l.Label))
		for _, pt := range pts {
			xy := strings.SplitN(pt, ",", 2)
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="2.5" fill="%s"><title>%s</title></circle>`, xy[0], xy[1], stroke, esc(l.Label))
		}
		if l.Warn {
			// A flagged line is named at its last point.
			xy := strings.SplitN(pts[len(pts)-1], ",", 2)
			fmt.Fprintf(&b, `<text x="%s" y="%s" dy="-6" font-size="11" text-anchor="end" fill="%s">%s</text>`, xy[0], xy[1], stroke, esc(l.Label))
		}
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11">Brezi i gjelbër: ±%.0f pikë (toleranca); e kuqe: vlerësuesit me paralajmërim.</text>`, left, top+height+34, band)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// AgreementChart is the quality board's bar chart of each marker's exact
// agreement with their pair, against the subject's.
func AgreementChart(q Quality) template.HTML {
	var bars []Bar
	for _, m := range q.Markers {
		if m.Paired > 0 {
			bars = append(bars, Bar{Label: m.FullName, Value: m.Agreement, Warn: m.Flagged()})
		}
	}
	ref := -1.0
	if q.Paired > 0 {
		ref = q.Agreement
	}
	return BarChart("Përputhja e plotë për kërkesë me vlerësuesin tjetër", bars, ref)
}

// DriftChart is the quality board's line chart of each marker's mean
// difference from their pair, day by day.
func DriftChart(q Quality) template.HTML {
	idx := map[string]int{}
	labels := make([]string, len(q.Days))
	for i, d := range q.Days {
		idx[d] = i
		if l := dayLabel(d); len(l) >= 5 {
			labels[i] = l[:5]
		}
	}
	var lines []Line
	for _, m := range q.Markers {
		if len(m.Drift) == 0 {
			continue
		}
		vs := make([]float64, len(q.Days))
		for i := range vs {
			vs[i] = math.NaN()
		}
		for _, d := range m.Drift {
			vs[idx[d.Day]] = d.Mean
		}
		lines = append(lines, Line{Label: m.FullName, Values: vs, Warn: m.Flagged()})
	}
	// The flagged lines are drawn last, over the others.
	var ordered []Line
	for _, warn := range []bool{false, true} {
		for _, l := range lines {
			if l.Warn == warn {
				ordered = append(ordered, l)
			}
		}
	}
	return LineChart("Ndryshimi mesatar nga vlerësuesi tjetër, ditë pas dite (pikë)", labels, ordered, float64(q.Tolerance))
}
