package export

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/boothledger/boothledger/capture"
)

// vcardColumns name the person fields the plan's vCards carry, labelled as the Japanese or
// English column set labels them, for the export record.
func vcardColumns(plan *Plan) []column {
	lang := "ja"
	if plan.Request.Columns != "ja" {
		lang = "en"
	}
	provided := plan.provided()
	var out []column
	for _, h := range presets[lang] {
		if f := personField(h.key); f != "" && (provided == nil || provided[f]) {
			out = append(out, column{key: h.key, header: h.text})
		}
	}
	return out
}

// writeVCF writes one vCard 4.0 (RFC 6350) per lead into one file, for address books. A field
// the row may not carry is left out (FN and N, which vCard requires, are then empty).
func writeVCF(w io.Writer, plan *Plan) error {
	var b strings.Builder
	for _, r := range plan.Rows {
		var p capture.Person
		for _, f := range capture.PersonFields {
			if plan.carries(r, f) {
				*p.Field(f) = *r.Lead.Person.Field(f)
			}
		}
		last, first := splitName(p.Name)
		b.WriteString("BEGIN:VCARD\r\nVERSION:4.0\r\n")
		prop(&b, "FN", esc(p.Name))
		n := "N"
		if p.Kana != "" { // the reading, as vCard 4.0 carries it
			kl, kf := splitName(p.Kana)
			n = `N;SORT-AS="` + strings.ReplaceAll(kl+","+kf, `"`, "") + `"`
		}
		prop(&b, n, esc(last)+";"+esc(first)+";;;")
		if p.Company != "" || p.Department != "" {
			prop(&b, "ORG", esc(p.Company)+";"+esc(p.Department))
		}
		if p.Title != "" {
			prop(&b, "TITLE", esc(p.Title))
		}
		if p.Email != "" {
			prop(&b, "EMAIL;TYPE=work", esc(p.Email))
		}
		if p.Phone != "" {
			prop(&b, "TEL;VALUE=uri;TYPE=work,voice", "tel:"+p.Phone)
		}
		if p.Mobile != "" {
			prop(&b, "TEL;VALUE=uri;TYPE=cell", "tel:"+p.Mobile)
		}
		if p.Address != "" || p.Postal != "" {
			prop(&b, "ADR;TYPE=work", ";;"+esc(p.Address)+";;;"+esc(p.Postal)+";")
		}
		b.WriteString("END:VCARD\r\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// esc escapes a vCard text value.
func esc(s string) string {
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\n", `\n`).Replace(s)
}

// prop writes one content line, folded at 75 octets without splitting a character.
func prop(b *strings.Builder, name, value string) {
	line := name + ":" + value
	for len(line) > 75 {
		cut := 75
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut] + "\r\n ")
		line = line[cut:]
	}
	b.WriteString(line + "\r\n")
}
