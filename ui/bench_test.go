package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture/store/storetest"
)

// BenchmarkSaveToEmptyForm is what a booth waits for between two cards: from pressing save
// to an empty form with the scanner focused, with 100,000 leads stored. Target: under 50 ms.
func BenchmarkSaveToEmptyForm(b *testing.B) {
	a := test.NewTempApp(b)
	s := storetest.Open(b)
	_, e := storetest.Setup(b, s)
	const stored = 100_000
	storetest.Seed(b, s, e.ID, stored)
	u := New(a, s, "ja")
	cs := u.Capture
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p := storetest.Person(stored + i)
		for _, f := range formFields {
			cs.Fields[f].SetText(*p.Field(f))
		}
		b.StartTimer()
		cs.save()
		if cs.Fields["name"].Text != "" || u.win.Canvas().Focused() != cs.Scanner {
			b.Fatalf("form not ready after save: %s", cs.FormError.Text)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/save")
}
