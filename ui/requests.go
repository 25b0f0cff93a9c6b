package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/request"
)

// RequestsPanel answers a person's request about the lead shown on the lead screen
// (APPI Art.33–35): disclosure as a PDF, stop-use of a channel, erasure. Managers only;
// every request is kept in the audit log with when it came in and when it was done.
type RequestsPanel struct {
	app  *App
	box  *fyne.Container
	lead func() *capture.Lead
	// after runs when a request changed the lead, so the screen shows it as it is now.
	after func()

	Received *widget.Entry
	Reason   *widget.Entry
	Channel  *widget.Select
	Disclose *widget.Button
	StopUse  *widget.Button
	Erase    *widget.Button
	Result   *widget.Label
	// EraseConfirm is the dialog that asks before an erasure, which cannot be undone.
	EraseConfirm *dialog.ConfirmDialog
	// Dir is where disclosures are written (Documents/BoothLedger/requests by default).
	Dir string
}

func newRequestsPanel(u *App, lead func() *capture.Lead, after func()) *RequestsPanel {
	p := &RequestsPanel{app: u, lead: lead, after: after}
	p.Received = widget.NewEntry()
	p.Received.SetPlaceHolder(u.T("requests.received"))
	p.Reason = widget.NewEntry()
	p.Reason.SetPlaceHolder(u.T("requests.reason"))
	options := []string{u.T("requests.all_channels")}
	for _, ch := range capture.Channels {
		options = append(options, u.T("channel."+string(ch)))
	}
	p.Channel = widget.NewSelect(options, nil)
	p.Channel.SetSelectedIndex(0)
	p.Disclose = widget.NewButton(u.T("requests.disclose"), p.disclose)
	p.StopUse = widget.NewButton(u.T("requests.stop_use"), p.stopUse)
	p.Erase = widget.NewButton(u.T("requests.erase"), p.askErase)
	p.Erase.Importance = widget.DangerImportance
	p.Result = wrapped("")
	p.Result.Hide()
	if home, err := os.UserHomeDir(); err == nil {
		p.Dir = filepath.Join(home, "Documents", "BoothLedger", "requests")
	}
	p.box = container.NewVBox(bold(u.T("requests.title")),
		container.NewGridWithColumns(2, p.Received, p.Reason),
		container.NewGridWithColumns(2, p.Disclose, p.Erase), container.NewGridWithColumns(2, p.Channel, p.StopUse), p.Result)
	return p
}

// received is when the request came in: the date typed, else today.
func (p *RequestsPanel) received() (time.Time, error) {
	text := strings.TrimSpace(p.Received.Text)
	if text == "" {
		return p.app.now(), nil
	}
	t, err := time.ParseInLocation(capture.DateLayout, text, time.Local)
	if err != nil {
		return t, capture.Invalid("received", "date")
	}
	return t, nil
}

// request is who handles a request (the signed-in manager), when it came in, and why.
func (p *RequestsPanel) request(received time.Time) request.Request {
	r := request.Request{Received: received, Reason: p.Reason.Text}
	if p.app.staff != nil {
		r.By = p.app.staff.Name
	}
	return r
}

// prepare checks what every request needs and returns the lead and when the request came in.
func (p *RequestsPanel) prepare(needReason bool) (*capture.Lead, time.Time, bool) {
	l := p.lead()
	received, err := p.received()
	switch {
	case l == nil:
		return nil, received, false
	case err != nil:
		showText(p.Result, p.app.message(err))
		return nil, received, false
	case needReason && strings.TrimSpace(p.Reason.Text) == "":
		showText(p.Result, p.app.message(capture.Invalid("reason", "required")))
		return nil, received, false
	}
	return l, received, true
}

func (p *RequestsPanel) disclose() {
	u := p.app
	l, received, ok := p.prepare(false)
	if !ok {
		return
	}
	path := filepath.Join(p.Dir, fmt.Sprintf("disclosure-%s-%s.pdf", u.now().Format("20060102-150405"), l.ID[len(l.ID)-8:]))
	err := os.MkdirAll(p.Dir, 0o700)
	if err == nil {
		r := p.request(received)
		r.Reason = ""
		_, _, err = request.Disclose(u.ctx(), u.store, r, l.ID, request.FormatPDF, path)
	}
	if err != nil {
		showText(p.Result, u.message(err))
		return
	}
	p.after() // the lead's request list shows the disclosure
	showText(p.Result, u.T("requests.disclosed", path)+u.reveal(p.Dir))
}

func (p *RequestsPanel) stopUse() {
	u := p.app
	l, received, ok := p.prepare(true)
	if !ok {
		return
	}
	var channels []capture.Channel // all
	if i := p.Channel.SelectedIndex(); i > 0 {
		channels = []capture.Channel{capture.Channels[i-1]}
	}
	if _, err := request.StopUse(u.ctx(), u.store, p.request(received), l.ID, channels); err != nil {
		showText(p.Result, u.message(err))
		return
	}
	p.Reason.SetText("")
	p.after()
	showText(p.Result, u.T("requests.stopped", p.Channel.Selected))
}

func (p *RequestsPanel) askErase() {
	u := p.app
	if _, _, ok := p.prepare(true); !ok {
		return
	}
	p.EraseConfirm = dialog.NewConfirm(u.T("requests.erase_title"), u.T("requests.erase_confirm"), func(yes bool) {
		if yes {
			p.erase()
		}
	}, u.win)
	p.EraseConfirm.Show()
}

func (p *RequestsPanel) erase() {
	u := p.app
	l, received, ok := p.prepare(true)
	if !ok {
		return
	}
	if _, err := request.Erase(u.ctx(), u.store, p.request(received), l.ID); err != nil {
		showText(p.Result, u.message(err))
		return
	}
	p.Reason.SetText("")
	p.after()
	showText(p.Result, u.T("requests.erased"))
}
