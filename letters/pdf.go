package letters

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// The PDF: A4, the centre's letterhead, the addressee where a window
// envelope shows it, page numbers, and DejaVu Sans (embedded; its licence
// is in fonts/LICENSE), which carries é, ë, ç, the euro sign and the
// letters of most names a centre writes.

//go:embed fonts/DejaVuSans.ttf
var regularFont []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var boldFont []byte

// Dateline is the place and day above the letter: "Molenbeek, 3 december
// 2026", "Molenbeek, le 3 décembre 2026".
func (f Facts) Dateline() string {
	day := longDate(f.Language, f.Date.In(f.location()))
	if f.Language == "fr" {
		day = "le " + day
	}
	if f.Centre.Municipality == "" {
		return day
	}
	return f.Centre.Municipality + ", " + day
}

// PageOf numbers a page: "Pagina 1 van 2", "Page 1 sur 2".
func PageOf(lang string, page int, total string) string {
	if lang == "fr" {
		return fmt.Sprintf("Page %d sur %s", page, total)
	}
	return fmt.Sprintf("Pagina %d van %s", page, total)
}

func (f Facts) location() *time.Location {
	if loc, err := time.LoadLocation(f.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// Address lines of the centre and of the person.
func (c Centre) Lines() []string {
	return nonEmpty(c.Street, strings.TrimSpace(c.Postcode+" "+c.Municipality), c.Phone, c.Email)
}

func (p Person) Lines() []string {
	return nonEmpty(p.Name, p.Street, strings.TrimSpace(p.Postcode+" "+p.Municipality))
}

func nonEmpty(lines ...string) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// PDF writes the letter as a PDF. The same facts and letter give the same
// bytes: the document's dates are the letter's own.
func PDF(f Facts, l Letter) ([]byte, error) {
	const left, right, top = 20.0, 20.0, 18.0
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(left, top, right)
	pdf.SetAutoPageBreak(true, 22)
	pdf.AddUTF8FontFromBytes("dejavu", "", regularFont)
	pdf.AddUTF8FontFromBytes("dejavu", "B", boldFont)
	pdf.SetTitle(l.Title, true)
	pdf.SetAuthor(f.Centre.Name, true)
	pdf.SetCreator("traject", true)
	pdf.SetProducer("traject", true)
	pdf.SetLang(f.Language)
	pdf.SetCreationDate(f.Date)
	pdf.SetModificationDate(f.Date)
	pdf.SetCatalogSort(true)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-15)
		pdf.SetFont("dejavu", "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 5, strings.TrimSpace(f.Centre.Name+" · "+f.Reference), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, PageOf(f.Language, pdf.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()

	// Letterhead: the centre on the left, the service on the right.
	pdf.SetFont("dejavu", "B", 12)
	pdf.CellFormat(100, 6, f.Centre.Name, "", 1, "L", false, 0, "")
	pdf.SetFont("dejavu", "", 9)
	for _, line := range f.Centre.Lines() {
		pdf.CellFormat(100, 4.5, line, "", 1, "L", false, 0, "")
	}
	if f.Centre.Service != "" {
		pdf.SetXY(120, top)
		pdf.MultiCell(70, 4.5, f.Centre.Service, "", "R", false)
	}

	// The addressee, where a window envelope (right, DIN 5008) shows it.
	pdf.SetXY(115, 50)
	pdf.SetFont("dejavu", "", 10.5)
	for _, line := range f.Person.Lines() {
		pdf.SetX(115)
		pdf.CellFormat(75, 5.2, line, "", 1, "L", false, 0, "")
	}

	pdf.SetXY(left, 82)
	pdf.CellFormat(0, 5.2, f.Dateline(), "", 1, "R", false, 0, "")
	pdf.Ln(4)
	pdf.SetFont("dejavu", "B", 13)
	pdf.MultiCell(0, 6.5, l.Title, "", "L", false)
	pdf.Ln(2)
	for _, b := range l.Blocks {
		switch b.Kind {
		case "heading":
			// A heading stays with what follows it.
			if pdf.GetY() > 297-22-25 {
				pdf.AddPage()
			}
			pdf.Ln(2)
			pdf.SetFont("dejavu", "B", 11)
			pdf.MultiCell(0, 5.5, b.Text, "", "L", false)
			pdf.Ln(1)
		case "item":
			pdf.SetFont("dejavu", "", 10.5)
			pdf.SetX(left + 2)
			pdf.CellFormat(5, 5.2, "•", "", 0, "L", false, 0, "")
			pdf.MultiCell(0, 5.2, b.Text, "", "L", false)
			pdf.Ln(1)
		case "signature":
			// Who signs, and room to sign: kept together on one page.
			if pdf.GetY() > 297-22-28 {
				pdf.AddPage()
			}
			pdf.Ln(3)
			pdf.SetFont("dejavu", "", 10.5)
			pdf.MultiCell(0, 5.2, b.Text, "", "L", false)
			pdf.Ln(14)
			y := pdf.GetY()
			pdf.Line(left, y, left+80, y)
			pdf.Ln(4)
		default:
			pdf.SetFont("dejavu", "", 10.5)
			pdf.MultiCell(0, 5.2, b.Text, "", "L", false)
			pdf.Ln(2.5)
		}
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("letter PDF: %w", err)
	}
	return out.Bytes(), nil
}
