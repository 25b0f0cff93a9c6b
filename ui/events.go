package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
)

// EventsScreen lists the events held in the local database.
type EventsScreen struct {
	app    *App
	events []capture.Event

	List  *widget.List
	Empty *widget.Label
}

func newEventsScreen(u *App) *EventsScreen {
	s := &EventsScreen{app: u}
	s.List = widget.NewList(
		func() int { return len(s.events) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			e := s.events[i]
			o.(*widget.Label).SetText(e.Date + "  " + e.Name + "  " + e.Venue)
		})
	s.Empty = widget.NewLabel(u.tx.T("events.empty"))
	s.Refresh()
	return s
}

// Refresh reloads the events from the store.
func (s *EventsScreen) Refresh() {
	events, err := s.app.store.Events(s.app.ctx())
	if err != nil {
		s.Empty.SetText(err.Error())
	}
	s.events = events
	s.Empty.Hidden = len(events) > 0
	s.List.Refresh()
}

// Content is the screen's layout.
func (s *EventsScreen) Content() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(s.app.tx.T("events.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(container.NewVBox(title, s.Empty), nil, nil, nil, s.List)
}
