package store_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestEnrolment: the sync server, token and insecure flag are kept together in the database
// file, survive reopening it, and the token never leaves in the record's encoding.
func TestEnrolment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "booth.db")
	s := storetest.OpenAt(t, path)
	if _, err := s.Enrolment(ctx); !errors.Is(err, store.ErrNotEnrolled) {
		t.Fatalf("fresh device: %v, want not enrolled", err)
	}
	err := s.Enrol(ctx, store.Enrolment{Server: "https://sync.example.co.jp"})
	var ve *capture.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "token" {
		t.Fatalf("enrol without a token: %v", err)
	}
	if _, err := s.Enrolment(ctx); !errors.Is(err, store.ErrNotEnrolled) {
		t.Fatalf("a refused enrolment kept something: %v", err)
	}
	want := store.Enrolment{Server: "http://10.0.0.5:8080", Token: "bl_secret-token", Insecure: true}
	if err := s.Enrol(ctx, want); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = storetest.OpenAt(t, path)
	got, err := s.Enrolment(ctx)
	if err != nil || got != want {
		t.Fatalf("after reopening: %+v %v, want %+v", got, err, want)
	}
	if b, _ := json.Marshal(got); strings.Contains(string(b), want.Token) || !strings.Contains(string(b), want.Server) {
		t.Fatalf("encoded enrolment %s", b)
	}
	// A new token (and https) replaces the old one whole.
	again := store.Enrolment{Server: "https://sync.example.co.jp", Token: "bl_new"}
	if err := s.Enrol(ctx, again); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Enrolment(ctx); got != again {
		t.Fatalf("re-enrolled: %+v", got)
	}
}
