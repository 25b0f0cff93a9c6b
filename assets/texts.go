package assets

import (
	"encoding/json"
	"fmt"
)

// catalogs holds the interface text per language, from translations/<lang>.json.
var catalogs = loadCatalogs()

func loadCatalogs() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range []string{"ja", "en"} {
		data, err := Translations.ReadFile("translations/" + lang + ".json")
		if err != nil {
			panic(err) // embedded at build time: cannot be missing
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			panic(fmt.Sprintf("translations/%s.json: %v", lang, err))
		}
		out[lang] = m
	}
	return out
}

// Catalog returns every text of a language by key (for checks that all are there).
func Catalog(lang string) map[string]string { return catalogs[lang] }

// Texts translates keys into one language, for the app and for the documents the
// programs write (disclosures, the ledger). Japanese is complete; a key missing from a
// language falls back to Japanese, then to the key itself.
type Texts struct{ Lang string }

// T returns the text for key, formatted with args.
func (t Texts) T(key string, args ...any) string {
	s, ok := catalogs[t.Lang][key]
	if !ok {
		if s, ok = catalogs["ja"][key]; !ok {
			s = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}
