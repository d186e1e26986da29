// Package export writes a table of text cells as the files a centre's
// office opens: CSV with semicolons (Excel in Belgium) and XLSX. The file
// check, the claims and any other list a coordinator downloads share it,
// so that the CSV and the XLSX of one list hold the same cells.
package export

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Table is a header row and the rows under it, every cell text as the
// person reads it (dates, amounts and words already in the page's
// language).
type Table struct {
	// Sheet names the XLSX sheet (at most 31 characters).
	Sheet  string
	Header []string
	Rows   [][]string
}

// WriteCSV writes the table as Belgian Excel opens it: a byte order mark
// (Excel reads UTF-8 only behind one) and semicolons.
func (t Table) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	c := csv.NewWriter(w)
	c.Comma = ';'
	if err := c.Write(t.Header); err != nil {
		return err
	}
	if err := c.WriteAll(t.Rows); err != nil {
		return err
	}
	return c.Error()
}

// WriteXLSX writes the table as one sheet, the header in bold and frozen.
func (t Table) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	name := t.Sheet
	if name == "" {
		name = "traject"
	}
	if len([]rune(name)) > 31 {
		name = string([]rune(name)[:31])
	}
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	header := make([]any, len(t.Header))
	for i, h := range t.Header {
		header[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, r := range t.Rows {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// Inert keeps a cell of free text (a name someone typed, a path) as text
// when Excel would read it as a formula, by putting an apostrophe before
// its first character (=, +, -, @, a tab or a carriage return); any other
// text is returned as it is. Words and numbers the program wrote need it
// not: a negative amount stays a number.
func Inert(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
