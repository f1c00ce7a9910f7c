package demo

import (
	"bytes"
	"fmt"
	"io"
)

// partedFile is a CSV file of paper forms written line by line and cut
// into files of at most PartRows lines, each with the header, as a
// country's offices would send them.
type partedFile struct {
	header string
	parts  []*bytes.Buffer
	rows   int // lines of the last part
}

func newPartedFile(header string) *partedFile { return &partedFile{header: header} }

// line is where the next line goes.
func (f *partedFile) line() io.Writer {
	if len(f.parts) == 0 || f.rows == PartRows {
		b := &bytes.Buffer{}
		b.WriteString(f.header + "\n")
		f.parts, f.rows = append(f.parts, b), 0
	}
	f.rows++
	return f.parts[len(f.parts)-1]
}

// each imports every part in order (name.csv, or name-01.csv, … when
// there are several) and adds up what they did; each part is let go once
// imported.
func (f *partedFile) each(name string, imp func(name string, r io.Reader) (int, error)) (int, error) {
	if len(f.parts) == 0 {
		f.line()
		f.rows--
	}
	total := 0
	for i, b := range f.parts {
		file := name + ".csv"
		if len(f.parts) > 1 {
			file = fmt.Sprintf("%s-%02d.csv", name, i+1)
		}
		n, err := imp(file, b)
		if err != nil {
			return total, err
		}
		total += n
		f.parts[i] = nil
	}
	return total, nil
}
