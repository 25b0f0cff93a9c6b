package store_test

import (
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// The lead table over 100,000 leads: its first page with the true total, and a filter
// change (a new page and total). Target: each under 100 ms. BenchmarkLeadsLimit500 is the
// list the lead screen read before (the newest 500, no total) as the baseline.

func BenchmarkLeadTableFirstPage(b *testing.B) {
	benchLeadPage(b, store.LeadQuery{})
}

func BenchmarkLeadTableSortName(b *testing.B) {
	benchLeadPage(b, store.LeadQuery{Sort: store.SortName})
}

func BenchmarkLeadTableLastPage(b *testing.B) {
	benchLeadPage(b, store.LeadQuery{Offset: benchLeads - 50})
}

// Every lead was captured at the event, by this staff member, from cards: the heaviest
// filter, which every lead passes.
func BenchmarkLeadTableFilterEvent(b *testing.B) {
	path, event := seededDB(b)
	benchLeadPageAt(b, path, store.LeadQuery{EventID: event, Staff: "seed", Source: capture.SourceBoothCard, From: "2000-01-01"})
}

// The same filter's last page, and a filter no lead passes.
func BenchmarkLeadTableFilterEventLastPage(b *testing.B) {
	path, event := seededDB(b)
	benchLeadPageAt(b, path, store.LeadQuery{EventID: event, Staff: "seed", Offset: benchLeads - 50})
}

func BenchmarkLeadTableFilterNone(b *testing.B) {
	path, event := seededDB(b)
	s := storetest.OpenAt(b, path)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p, err := s.LeadPage(ctx, store.LeadQuery{EventID: event, Staff: "nobody", Limit: 50, Listing: true}); err != nil || p.Total != 0 {
			b.Fatalf("%d, %v", p.Total, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
}

func BenchmarkLeadTableFilterRating(b *testing.B) {
	benchLeadPage(b, store.LeadQuery{Ratings: []capture.Rating{""}, Sort: store.SortCompany})
}

func BenchmarkLeadTableFilterAllowed(b *testing.B) {
	benchLeadPage(b, store.LeadQuery{Allowed: capture.ChannelIndividualContact, Sort: store.SortPermissions})
}

func BenchmarkLeadsLimit500(b *testing.B) {
	path, _ := seededDB(b)
	s := storetest.OpenAt(b, path)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if leads, err := s.Leads(ctx, store.LeadQuery{Limit: 500}); err != nil || len(leads) != 500 {
			b.Fatalf("%d leads, %v", len(leads), err)
		}
	}
}

func benchLeadPage(b *testing.B, q store.LeadQuery) {
	path, _ := seededDB(b)
	benchLeadPageAt(b, path, q)
}

func benchLeadPageAt(b *testing.B, path string, q store.LeadQuery) {
	s := storetest.OpenAt(b, path)
	q.Limit, q.Listing = 50, true
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := s.LeadPage(ctx, q)
		if err != nil || len(p.Rows) != 50 || p.Total != benchLeads {
			b.Fatalf("%d rows of %d, %v", len(p.Rows), p.Total, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
}
