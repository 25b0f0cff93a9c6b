package ui

import (
	"context"

	"fyne.io/fyne/v2"

	"github.com/boothledger/boothledger/capture/store"
)

// App is the booth window and the screens it shows.
type App struct {
	fyne  fyne.App
	win   fyne.Window
	store *store.Store
	tx    Texts

	Events *EventsScreen
}

// New builds the app on an open store. lang is "ja" or "en".
func New(a fyne.App, s *store.Store, lang string) *App {
	a.Settings().SetTheme(Theme{})
	u := &App{fyne: a, store: s, tx: Texts{Lang: lang}}
	u.win = a.NewWindow(u.tx.T("app.title"))
	u.win.Resize(fyne.NewSize(1280, 800))
	u.Events = newEventsScreen(u)
	u.win.SetContent(u.Events.Content())
	return u
}

// Window is the main window.
func (u *App) Window() fyne.Window { return u.win }

// ctx is the context for store calls made from the interface.
func (u *App) ctx() context.Context { return context.Background() }
