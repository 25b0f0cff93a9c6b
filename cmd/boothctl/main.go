// Command boothctl does every non-visual Booth Ledger operation on a local database: set-up,
// captures and imports, lead queries, the op log. Scripts and tests rely on its contract:
// exit 0 on success, 1 on invalid input (the message names the field), 2 on bad usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/boothledger/boothledger"
	"github.com/boothledger/boothledger/assets"
	"github.com/boothledger/boothledger/capture"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		m.printError(err)
		os.Exit(exitCode(err))
	}
}

// Main is the boothctl program, with its streams, so tests can run it in-process.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Lang is the language of messages: "ja" or "en".
	Lang string
}

// NewMain returns a Main on the process's streams, speaking the locale's language.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Lang: capture.EnvLang()}
}

// usageError is a mistake in how boothctl was called (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

func exitCode(err error) int {
	var u *usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

func (m *Main) printError(err error) {
	var ve *capture.ValidationError
	var u *usageError
	switch {
	case errors.As(err, &ve):
		for _, f := range ve.Fields {
			fmt.Fprintln(m.Stderr, "boothctl:", f.Message(m.Lang))
		}
	case errors.As(err, &u):
		fmt.Fprintln(m.Stderr, "boothctl:", u.msg)
		fmt.Fprintln(m.Stderr, "run 'boothctl help' for usage")
	default:
		// A known failure is said in the user's language; the error's own text follows, as it
		// names what failed (an id, a file) for whoever reads it.
		if text, ok := (assets.Texts{Lang: m.Lang}).Failure(err); ok && m.Lang != "en" {
			fmt.Fprintf(m.Stderr, "boothctl: %s (%v)\n", text, err)
			return
		}
		fmt.Fprintln(m.Stderr, "boothctl:", err)
	}
}

const usage = `boothctl — Booth Ledger on the command line

Every command takes --db PATH (default: $BOOTH_DB, else the app's database in the user
config directory) and --json for machine-readable output.

  org set --name N [--address A --representative R --privacy-manager P --contact C --policy-url U]
  org show
  notice add FILE.json [--supersedes ID]
  notice show ID
  notice lint FILE.json|ID               exit 1 when the checker finds an error
  notice pdf ID --layout poster|tent|survey [--event ID] -o FILE.pdf
  event add --name N --venue V --date 2026-11-25 [--end 2026/11/27] --notice ID [--survey FILE.json]
            [--lint-override REASON] [--retention PERIOD]   default: the notice's retention
  event edit ID [--name N --venue V --date D --end D --notice ID --retention P]
            [--survey FILE.json | --no-survey] [--confirm-survey-change]
                                         saves the event's next version; only the flags given change
  event override ID --reason R           record why capturing may go ahead despite notice errors
  event list
  capture add --event ID [--source booth_card] [--staff NAME] --name .. --kana .. --company ..
              --department .. --title .. --email .. --phone .. --mobile .. [--postal .. --address ..]
              [--consent purpose,email_optin,third_party,joint_use]
              [--consent-method checkbox|signature|verbal|implied_card] [--shown screen|print|verbal|none]
              [--answers FILE.json] [--rating A|B|C] [--note ..] [--lead ID | --new-lead] [--at TIME]
              [--confirm-suppressed]   the person was erased or opted out and gave fresh consent
  capture import --event ID [--source import] [--staff NAME] [--consent ..] FILE.csv [--strict]
  leads list [--event ID] [--search TEXT]
  leads show ID
  leads detach CAPTURE_ID --reason R     a wrong attach undone: the capture becomes a lead of its own
  leads rate --rating A|B|C|none ID...   rate leads (a correction of each, in one transaction)
  ops list [--after SEQ]
  sync [--server URL --token TOKEN] [--insecure]   one round: push all, then pull all
  export --event ID [--event ID ...] --use internal|email_marketing|phone|postal|third_party
         --recipient NAME --basis own|outsourcing|joint_use|consent --format csv|xlsx|pdf|vcf -o FILE
         [--encoding utf8bom|utf8|cp932] [--columns ja|en|salesforce|hubspot] [--lead ID ...] [--dry-run]
  dedup [--event ID]                     名寄せ: clusters to merge, with score and reasons; pairs to review
  dedup --merge-above 0.95 [--reason R]  merge every cluster scoring at least that, as one batch
  merge LEAD LEAD ... [--keep LEAD] [--reason R]   prints the merge id
  unmerge MERGE_ID | --batch BATCH_ID    shows every lead exactly as before the merge (or the whole batch)
  purge --not-captured-since YYYY-MM-DD [--dry-run]   the stale part of the list, erased
  stats [--event ID] [--day YYYY-MM-DD]   the dashboard's figures: captures by staff, hour, day,
                                         source and rating, consents, pairs waiting in 名寄せ
  request find --email E | --phone P | --name N
  request disclose LEAD [--format pdf|json] -o FILE   everything held, with the provision records
  request correct LEAD --set field=value ... --reason R
  request stop-use LEAD --channel email_marketing|phone|postal|third_party|all --reason R
  request erase LEAD --reason R                    erasure that scrubs the op log; the person is suppressed
  request log                                      every request with when it came in and when it was done
                                                   (each request command takes --received YYYY-MM-DD)
  retention run [--dry-run]              erase the leads whose every capture is past its event's
                                         retention (the app does this once a day)
  retention list [--within DAYS]         what expires in the next DAYS days (default 30)
  ledger [--format xlsx|pdf|json] -o FILE   個人情報管理台帳: per event and notice, items, purposes,
                                         acquisition, consents, persons, storage, access,
                                         retention, provisions, joint use, outsourcing
  provisions list [--lead ID] [--all]    第三者提供記録: provision records (kept 3 years)
  version                                the version (as in the package names)
  staff add --name N [--manager] [--pin PIN]   without --pin: asked twice on a terminal (not shown), else a line of stdin

Exit status: 0 ok, 1 invalid input (nothing was written), 2 usage.
`

// Run runs one command.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return usagef("no command given")
	}
	type command func(context.Context, []string) error
	commands := map[string]map[string]command{
		"org":        {"set": m.orgSet, "show": m.orgShow},
		"notice":     {"add": m.noticeAdd, "show": m.noticeShow, "lint": m.noticeLint, "pdf": m.noticePDF},
		"event":      {"add": m.eventAdd, "edit": m.eventEdit, "list": m.eventList, "override": m.eventOverride},
		"capture":    {"add": m.captureAdd, "import": m.captureImport},
		"leads":      {"list": m.leadsList, "show": m.leadsShow, "detach": m.leadsDetach, "rate": m.leadsRate},
		"ops":        {"list": m.opsList},
		"staff":      {"add": m.staffAdd},
		"provisions": {"list": m.provisionsList},
		"retention":  {"run": m.retentionRun, "list": m.retentionList},
		"request": {"find": m.requestFind, "disclose": m.requestDisclose, "correct": m.requestCorrect,
			"stop-use": m.requestStopUse, "erase": m.requestErase, "log": m.requestLog},
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	case "version", "--version":
		fmt.Fprintln(m.Stdout, "boothctl", boothledger.Version)
		return nil
	case "sync":
		return m.syncRound(ctx, args[1:])
	case "export":
		return m.exportList(ctx, args[1:])
	case "dedup":
		return m.dedup(ctx, args[1:])
	case "merge":
		return m.mergeLeads(ctx, args[1:])
	case "unmerge":
		return m.unmerge(ctx, args[1:])
	case "purge":
		return m.purge(ctx, args[1:])
	case "stats":
		return m.stats(ctx, args[1:])
	case "ledger":
		return m.ledgerWrite(ctx, args[1:])
	}
	group, ok := commands[args[0]]
	if !ok {
		return usagef("unknown command %q", args[0])
	}
	if len(args) < 2 {
		return usagef("%s needs a subcommand", args[0])
	}
	cmd, ok := group[args[1]]
	if !ok {
		return usagef("unknown command %q", args[0]+" "+args[1])
	}
	return cmd(ctx, args[2:])
}
