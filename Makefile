# Booth Ledger. `make run` starts the app; `make test` installs what is missing and runs every test.
GO ?= go
export LANG ?= C.UTF-8
export CGO_ENABLED := 1

# Debian packages a cgo + Fyne build and the tests need.
DEB_PACKAGES := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev postgresql poppler-utils zbar-tools xvfb sqlite3 \
	xdg-utils gcc-mingw-w64-x86-64

BINARIES := bin/booth bin/boothctl bin/boothd

.PHONY: deps build run test test-windows bench clean $(BINARIES)

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: $(BINARIES)

$(BINARIES):
	$(GO) build -o $@ ./cmd/$(notdir $@)

run: deps build
	./bin/booth

test: deps
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 10s ./capture/scan
	$(GO) test -run '^$$' -fuzz FuzzDecodePush -fuzztime 10s ./sync

# The tests again as Windows programs, run under wine through ../shared/tools/winenv (Debian 12's
# wine cannot start Go programs; winenv keeps a Debian 13 root with wine 10), and the three
# Windows programs built so that they cannot rot. The figures end test.log.
WINDOWS := GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc
test-windows: deps
	../shared/tools/winenv setup
	$(WINDOWS) $(GO) vet ./...
	$(WINDOWS) $(GO) build -ldflags -H=windowsgui -o bin/windows/booth.exe ./cmd/booth
	$(WINDOWS) $(GO) build -o bin/windows/boothctl.exe ./cmd/boothctl
	$(WINDOWS) $(GO) build -o bin/windows/boothd.exe ./cmd/boothd
	@echo "go test ./... under wine (output in bin/windows/test.log)"
	@PATH="$(abspath ../shared/tools):$$PATH" BOOTH_TEST_UI_LANG=en $(WINDOWS) $(GO) test -count=1 -v ./... >bin/windows/test.log 2>&1; code=$$?; \
	grep -E '^(ok|FAIL|panic:)|--- FAIL' bin/windows/test.log; \
	awk '/^ok /{p++} /^--- PASS/{t++} /^ +--- PASS/{s++} /--- SKIP/{k++} END{printf "windows: %d packages, %d tests and %d subtests passed, %d skipped\n", p, t, s, k}' \
		bin/windows/test.log | tee -a bin/windows/test.log; exit $$code
	@echo "a Japanese Windows: its display language, and the boothctl tour in cmd.exe (windows/tour)"
	PATH="$(abspath ../shared/tools):$$PATH" LANG=ja_JP.UTF-8 BOOTH_TEST_UI_LANG=ja $(WINDOWS) $(GO) test -count=1 -run TestEnvLangReadsTheWindowsDisplayLanguage ./capture
	TOUR_OUT=$(abspath bin/windows/tour.txt) windows/tour bin/windows/boothctl.exe >/dev/null

# Benchmarks print their figures beside their baselines; nothing is asserted.
bench: deps
	$(GO) test -run '^$$' -bench 'CaptureCommit|RawInsert|Candidates' -benchtime 2000x ./capture/store/ | tee bench/store.txt
	$(GO) test -run '^$$' -bench Expiries -benchtime 5x ./capture/store/   # the 30-day list and daily retention on 100,000 leads
	$(GO) test -run '^$$' -bench 'LeadTable|LeadsLimit500' -benchtime 20x ./capture/store/   # a lead page with its total: under 100 ms
	@bench/ratio bench/store.txt CaptureCommit RawInsert '<=' 1.5
	cd bench/pouchdb && npm install --no-audit --no-fund --silent
	$(GO) test -run '^$$' -bench . -benchtime 3x ./sync/ | tee bench/sync.txt
	@bench/ratio bench/sync.txt PouchDBReplicate:ns/replication Sync10000 '>=' 3
	$(GO) test -run '^$$' -bench . -benchtime 1x ./capture/export/ | tee bench/export.txt   # XLSX target: under 10 s
	@bench/ratio bench/export.txt ExportCSV SQLite3CSV '<=' 2
	$(GO) test -run '^$$' -bench . -benchtime 1x ./capture/match/   # precision >= 0.98, F1 >= 0.95; 1M cards < 60 s, < 2 GB
	$(GO) test -run '^$$' -bench InlineCheck1M -benchtime 1000x -timeout 60m ./capture/store/   # under 5 ms; seeds 1M leads (minutes)
	$(GO) test -run '^$$' -bench SaveToEmptyForm -benchtime 300x ./ui/   # target: under 50 ms/save
	$(GO) test -run '^$$' -bench LeadTable100k -benchtime 20x ./ui/   # target: under 100 ms/page and ms/change
	$(GO) test -run '^$$' -bench ColdStart -benchtime 5x ./cmd/booth/    # target: under 2000 ms/start

# Release packages under dist/ (packaging/dist.sh): the Windows zip, the Linux tar.xz and the
# .deb, checked by packaging/check. Not part of test: a cold Windows GUI build takes minutes.
DIST_PACKAGES := gcc-mingw-w64-x86-64 zip unzip xz-utils dpkg-dev desktop-file-utils debootstrap
.PHONY: dist dist-check
dist:
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(DEB_PACKAGES) $(DIST_PACKAGES)"
	GO=$(GO) packaging/dist.sh
	GO=$(GO) packaging/check dist

# Installs the .deb in a clean Debian 12 chroot (made once) and runs its programs; needs root.
dist-check: dist
	packaging/check-deb dist/boothledger_*_amd64.deb

clean:
	rm -rf bin
