package match

import (
	"runtime"
	"testing"
)

// BenchmarkQuality reports precision, recall and pairwise F1 on 10,000 generated people
// (about 25,000 cards). Targets: precision at least 0.98, F1 at least 0.95.
func BenchmarkQuality(b *testing.B) {
	for i := 0; i < b.N; i++ {
		p, r, f1, wrong := metrics(generate(uint64(1000+i), 10_000))
		b.ReportMetric(p, "precision")
		b.ReportMetric(r, "recall")
		b.ReportMetric(f1, "F1")
		b.ReportMetric(float64(wrong), "wrong-proposals")
	}
}

// BenchmarkDedup1M is a full dedup of 1,000,000 cards. Targets: under 60 s, under 2 GB.
func BenchmarkDedup1M(b *testing.B) {
	l := generate(7, 500_000)
	recs := l.records[:min(len(l.records), 1_000_000)]
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Clusters(New(recs).Pairs())
	}
	b.StopTimer()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(len(recs)), "cards")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MB-allocated")
	b.ReportMetric(float64(after.Sys)/(1<<20), "MB-sys")
}
