// Package csvimport reads the CSV files that people and business-card apps produce (UTF-8
// with or without BOM, or CP932; Japanese or English headers; split names and several phone
// columns) into people to capture, row by row, with line numbers for every problem.
package csvimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/unicode/norm"

	"github.com/boothledger/boothledger/capture"
)

// Encodings the reader recognises.
const (
	UTF8BOM = "utf-8-bom"
	UTF8    = "utf-8"
	CP932   = "cp932"
)

// Row is one data row: what it says, or why it cannot be used.
type Row struct {
	// Line is the physical line the row starts on; the header is line 1.
	Line   int
	Person capture.Person
	// At is the business-card exchange date, when the file has one.
	At   time.Time
	Note string
	Err  error
}

// File is a parsed file.
type File struct {
	Encoding string
	// Ignored lists header names that map to no field.
	Ignored []string
	Rows    []Row
}

// column kinds a header can map to.
const (
	colName = iota
	colLast
	colFirst
	colKana
	colKanaLast
	colKanaFirst
	colCompany
	colDepartment
	colTitle
	colEmail
	colPhone
	colMobile
	colPostal
	colAddress
	colDate
	colNote
)

// aliases maps normalised header text to a column kind. Phone headers are listed in order of
// preference: a direct line is more useful than the switchboard.
var aliases = map[string]int{}

var phonePreference = []string{"tel直通", "直通電話", "直通", "tel部門", "部門tel", "tel会社", "会社tel", "会社電話", "代表電話", "電話番号", "電話", "tel", "telephone", "phone", "phonenumber", "電話番号会社", "会社電話番号"}

func init() {
	add := func(kind int, names ...string) {
		for _, n := range names {
			aliases[normHeader(n)] = kind
		}
	}
	add(colName, "氏名", "名前", "お名前", "姓名", "氏名(漢字)", "name", "full name", "fullname")
	add(colLast, "姓", "苗字", "名字", "last name", "lastname", "family name", "surname")
	add(colFirst, "名", "first name", "firstname", "given name")
	add(colKana, "ふりがな", "フリガナ", "よみがな", "ヨミガナ", "カナ", "氏名カナ", "氏名(カナ)", "氏名(フリガナ)", "氏名フリガナ", "kana", "reading", "furigana")
	add(colKanaLast, "セイ", "せい", "姓カナ", "姓(カナ)", "姓フリガナ", "姓(フリガナ)", "姓ふりがな", "姓(ふりがな)", "姓よみ")
	add(colKanaFirst, "メイ", "めい", "名カナ", "名(カナ)", "名フリガナ", "名(フリガナ)", "名ふりがな", "名(ふりがな)", "名よみ")
	add(colCompany, "会社名", "会社", "企業名", "法人名", "組織名", "勤務先", "company", "company name", "organization", "organisation", "account name")
	add(colDepartment, "部署", "部署名", "所属", "部門", "部課", "department", "division")
	add(colTitle, "役職", "役職名", "肩書", "肩書き", "title", "job title", "position")
	add(colEmail, "メールアドレス", "メール", "eメール", "Eメールアドレス", "電子メール", "e-mail", "email", "email address", "mail", "mail address")
	add(colPhone, phonePreference...)
	add(colMobile, "携帯電話", "携帯", "携帯番号", "携帯電話番号", "mobile", "mobile phone", "cell", "cell phone", "cellphone")
	add(colPostal, "郵便番号", "〒", "postal", "postal code", "postcode", "zip", "zip code", "zipcode")
	add(colAddress, "住所", "所在地", "会社住所", "住所1", "住所2", "住所(番地)", "住所(建物名)", "address", "street", "address line 1", "address line 2")
	add(colDate, "名刺交換日", "交換日", "取得日", "登録日", "exchange date", "date met", "date")
	add(colNote, "メモ", "備考", "note", "notes", "memo")
}

// normHeader folds header spelling: NFKC, lower case, no spaces, brackets or separators, and
// no format characters: a BOM left before a later column by files pasted together, or a
// zero-width space, would otherwise hide a column behind a name that looks right.
func normHeader(s string) string {
	s = strings.ToLower(norm.NFKC.String(strings.TrimSpace(s)))
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '・', '(', ')', '[', ']', '（', '）', '　', '.':
			return -1
		}
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

// ErrEncoding is returned for a file that is neither UTF-8 nor CP932.
var ErrEncoding = errors.New("file is neither UTF-8 nor CP932 (Shift_JIS)")

// LineError says which line of a file that is otherwise text in Encoding is not: one bad
// byte in a CP932 file is found, not a refusal of the whole file without a place.
type LineError struct {
	Line     int
	Encoding string
}

func (e *LineError) Error() string {
	return fmt.Sprintf("line %d is not valid %s text", e.Line, encodingNames[e.Encoding])
}

// Unwrap lets errors.Is(err, ErrEncoding) match.
func (e *LineError) Unwrap() error { return ErrEncoding }

var encodingNames = map[string]string{UTF8BOM: "UTF-8", UTF8: "UTF-8", CP932: "CP932 (Shift_JIS)"}

// Decode returns the file as UTF-8 text and the encoding it was in. A file that is neither
// gets a *LineError naming the first bad line in the encoding fewer lines are bad in, unless
// no line is text in either (ErrEncoding).
func Decode(data []byte) (string, string, error) {
	if rest, ok := bytes.CutPrefix(data, []byte("\xef\xbb\xbf")); ok {
		if line, _, _ := badLines(rest, utf8.Valid); line > 0 {
			return "", "", &LineError{Line: line, Encoding: UTF8BOM}
		}
		return string(rest), UTF8BOM, nil
	}
	if utf8.Valid(data) {
		return string(data), UTF8, nil
	}
	if text, ok := decodeCP932(data); ok {
		return string(text), CP932, nil
	}
	u8Line, u8Bad, lines := badLines(data, utf8.Valid)
	sjLine, sjBad, _ := badLines(data, validCP932)
	switch {
	case min(u8Bad, sjBad) == lines:
		return "", "", ErrEncoding
	case sjBad < u8Bad:
		return "", "", &LineError{Line: sjLine, Encoding: CP932}
	}
	return "", "", &LineError{Line: u8Line, Encoding: UTF8}
}

// decodeCP932 decodes b as CP932, reporting false when anything had to be replaced.
func decodeCP932(b []byte) ([]byte, bool) {
	text, err := japanese.ShiftJIS.NewDecoder().Bytes(b)
	return text, err == nil && !bytes.ContainsRune(text, utf8.RuneError)
}

func validCP932(b []byte) bool { _, ok := decodeCP932(b); return ok }

// badLines splits data into physical lines (a newline byte is never part of a UTF-8 or CP932
// character) and returns the number of the first one valid refuses (0: none), how many it
// refuses and how many there are.
func badLines(data []byte, valid func([]byte) bool) (first, bad, lines int) {
	for i, l := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		if !valid(l) {
			bad++
			if first == 0 {
				first = i + 1
			}
		}
		lines++
	}
	return first, bad, lines
}

// Parse reads a whole file. A file-level problem (encoding, no header, no name or email
// column) is an error; a row-level one is kept on its row.
func Parse(data []byte) (*File, error) {
	text, enc, err := Decode(data)
	var le *LineError
	if errors.As(err, &le) {
		return nil, capture.Invalid("file", "encoding_line", le.Line, encodingNames[le.Encoding])
	} else if err != nil {
		return nil, capture.Invalid("file", "encoding")
	}
	f := &File{Encoding: enc}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, capture.Invalid("file", "no_header")
	}
	if err != nil {
		return nil, capture.Invalid("file", "csv_syntax", err.Error())
	}
	kinds := make([]int, len(header))
	have := map[int]bool{}
	for i, h := range header {
		k, ok := aliases[normHeader(h)]
		if !ok {
			kinds[i] = -1
			if strings.TrimSpace(h) != "" {
				f.Ignored = append(f.Ignored, h)
			}
			continue
		}
		kinds[i] = k
		have[k] = true
	}
	if !have[colName] && !have[colLast] && !have[colFirst] && !have[colEmail] {
		return nil, capture.Invalid("file", "no_usable_column", strings.Join(header, ", "))
	}
	pos := position{text: text, line: 1}
	pos.advance(r.InputOffset())
	for {
		rec, err := r.Read()
		var pe *csv.ParseError
		next := 0 // the line the record starts on; 0 at the end of the file
		switch {
		case err == nil:
			next, _ = r.FieldPos(0)
		case errors.As(err, &pe):
			next = pe.StartLine
		case err != io.EOF:
			return nil, fmt.Errorf("read csv: %w", err)
		}
		// Blank lines are not records to encoding/csv; they are still rows a person sees.
		for _, blank := range pos.blankLinesBefore(next) {
			f.Rows = append(f.Rows, Row{Line: blank, Err: capture.Invalid("row", "empty_row")})
		}
		pos.advance(r.InputOffset())
		switch {
		case err == io.EOF:
			return f, nil
		case pe != nil:
			f.Rows = append(f.Rows, Row{Line: pe.StartLine, Err: capture.Invalid("row", "csv_syntax", pe.Err.Error())})
		default:
			f.Rows = append(f.Rows, rowOf(next, header, kinds, rec))
		}
	}
}

// position tracks the line number at a byte offset of the text as the reader moves on.
type position struct {
	text   string
	offset int64
	line   int
}

func (p *position) advance(offset int64) {
	p.line += strings.Count(p.text[p.offset:offset], "\n")
	p.offset = offset
}

// blankLinesBefore returns the numbers of the empty lines between the current offset and the
// record that starts on line next (0: the end of the file).
func (p *position) blankLinesBefore(next int) []int {
	chunk := p.text[p.offset:]
	var out []int
	for lineNo := p.line; chunk != "" && (next == 0 || lineNo < next); lineNo++ {
		l, rest, found := strings.Cut(chunk, "\n")
		if strings.TrimRight(l, "\r") == "" && found {
			out = append(out, lineNo)
		}
		chunk = rest
	}
	return out
}
func rowOf(line int, header []string, kinds []int, rec []string) Row {
	row := Row{Line: line}
	if len(rec) != len(header) {
		row.Err = capture.Invalid("row", "column_count", len(header), len(rec))
		return row
	}
	empty := true
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			empty = false
		}
	}
	if empty {
		row.Err = capture.Invalid("row", "empty_row")
		return row
	}
	var last, first, kanaLast, kanaFirst string
	var phones []string // in header order, re-sorted by preference below
	phoneRank := map[string]int{}
	var addr, notes []string
	p := &row.Person
	for i, v := range rec {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		switch kinds[i] {
		case colName:
			p.Name = v
		case colLast:
			last = v
		case colFirst:
			first = v
		case colKana:
			p.Kana = v
		case colKanaLast:
			kanaLast = v
		case colKanaFirst:
			kanaFirst = v
		case colCompany:
			p.Company = v
		case colDepartment:
			p.Department = v
		case colTitle:
			p.Title = v
		case colEmail:
			if p.Email == "" {
				p.Email = v
			} else if v != p.Email {
				notes = append(notes, header[i]+": "+v)
			}
		case colPhone:
			phones = append(phones, v)
			phoneRank[v] = preference(header[i])
		case colMobile:
			p.Mobile = v
		case colPostal:
			p.Postal = v
		case colAddress:
			addr = append(addr, v)
		case colDate:
			at, err := parseDate(v)
			if err != nil {
				row.Err = capture.Invalid("exchange_date", "date")
				return row
			}
			row.At = at
		case colNote:
			notes = append(notes, v)
		}
	}
	if p.Name == "" {
		p.Name = strings.TrimSpace(last + " " + first)
	}
	if p.Kana == "" {
		p.Kana = strings.TrimSpace(kanaLast + " " + kanaFirst)
	}
	if len(phones) > 0 {
		best := 0
		for i, ph := range phones {
			if phoneRank[ph] < phoneRank[phones[best]] {
				best = i
			}
		}
		p.Phone = phones[best]
		for i, ph := range phones {
			if i != best && capture.NormPhone(ph) != capture.NormPhone(p.Phone) {
				notes = append(notes, "TEL: "+ph) // a second number is kept, not dropped
			}
		}
	}
	p.Address = strings.Join(addr, " ")
	row.Note = strings.Join(notes, "\n")
	return row
}

func preference(header string) int {
	h := normHeader(header)
	for i, p := range phonePreference {
		if normHeader(p) == h {
			return i
		}
	}
	return len(phonePreference)
}

var dateLayouts = []string{"2006-01-02", "2006/01/02", "2006/1/2", "2006-1-2", "2006年1月2日", "2006.1.2", "2006-01-02 15:04", "2006/01/02 15:04", "2006/1/2 15:04", "2006-01-02 15:04:05", "2006/01/02 15:04:05", time.RFC3339}

func parseDate(s string) (time.Time, error) {
	s = norm.NFKC.String(s)
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised date %q", s)
}
