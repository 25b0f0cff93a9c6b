//go:build !windows

// The import rules of the package table (README, Layout) checked on the real import graph.
// Under wine there is no Go toolchain to list packages with; the graph is the same there.
package boothledger_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/boothledger/boothledger"

// listed is one package of `go list -json`: its path and everything it imports, directly or
// through other packages.
type listed struct {
	ImportPath string
	Deps       []string
}

// arrowsBroken returns one line per package that imports what the package table forbids:
// nothing under capture/ reaches sync or ui (the domain and its store sit below them), and
// nothing but ui and cmd/booth reaches fyne (boothctl, boothd and the libraries build and run
// without a display).
func arrowsBroken(pkgs []listed) []string {
	var out []string
	for _, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		inCapture := rel == "capture" || strings.HasPrefix(rel, "capture/")
		mayUseFyne := rel == "ui" || strings.HasPrefix(rel, "ui/") || rel == "cmd/booth"
		for _, d := range p.Deps {
			switch {
			case inCapture && (under(d, module+"/sync") || under(d, module+"/ui")):
				out = append(out, p.ImportPath+" imports "+d)
			case !mayUseFyne && under(d, "fyne.io/fyne"):
				out = append(out, p.ImportPath+" imports "+d)
			}
		}
	}
	return out
}

// under reports whether path is pkg or a package below it.
func under(path, pkg string) bool { return path == pkg || strings.HasPrefix(path, pkg+"/") }

func TestImportArrows(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Deps", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listed
	for dec := json.NewDecoder(bytes.NewReader(out)); dec.More(); {
		var p listed
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("decode go list: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if !slices.ContainsFunc(pkgs, func(p listed) bool { return p.ImportPath == module+"/capture/store" }) {
		t.Fatalf("go list found %d packages, not the store: %s", len(pkgs), out)
	}
	for _, line := range arrowsBroken(pkgs) {
		t.Error(line)
	}
}

// The rule itself, on a graph with every forbidden arrow: each is reported, and the allowed
// ones (ui and cmd/booth on fyne, sync on the store) are not.
func TestArrowsBrokenFindsEachForbiddenImport(t *testing.T) {
	pkgs := []listed{
		{module + "/capture/ledger", []string{module + "/sync", module + "/capture/store"}},
		{module + "/capture", []string{module + "/ui/internal"}},
		{module + "/capture/export", []string{"fyne.io/fyne/v2/widget"}},
		{module + "/cmd/boothctl", []string{"fyne.io/fyne/v2"}},
		{module + "/sync", []string{module + "/capture/store"}},
		{module + "/ui", []string{"fyne.io/fyne/v2", module + "/sync"}},
		{module + "/cmd/booth", []string{"fyne.io/fyne/v2/app", module + "/ui"}},
		{module + "/capture/syncless", []string{module + "/syncer"}},
	}
	got := arrowsBroken(pkgs)
	want := []string{
		module + "/capture/ledger imports " + module + "/sync",
		module + "/capture imports " + module + "/ui/internal",
		module + "/capture/export imports fyne.io/fyne/v2/widget",
		module + "/cmd/boothctl imports fyne.io/fyne/v2",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("reported:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
