package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/boothledger/boothledger/capture"
)

func (m *Main) orgSet(ctx context.Context, args []string) error {
	f := newFlags("org set")
	var o capture.Org
	f.StringVar(&o.Name, "name", "", "company name")
	f.StringVar(&o.Address, "address", "", "address")
	f.StringVar(&o.Representative, "representative", "", "representative")
	f.StringVar(&o.PrivacyManager, "privacy-manager", "", "person responsible for personal data")
	f.StringVar(&o.Contact, "contact", "", "contact for requests")
	f.StringVar(&o.PolicyURL, "policy-url", "", "privacy policy URL")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	o, err = s.SetOrg(ctx, o)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(o)
	}
	m.say("%s", o.Name)
	return nil
}

func (m *Main) orgShow(ctx context.Context, args []string) error {
	f := newFlags("org show")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	o, err := s.Org(ctx)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(o)
	}
	m.say("name:            %s\naddress:         %s\nrepresentative:  %s\nprivacy manager: %s\ncontact:         %s\npolicy url:      %s",
		o.Name, o.Address, o.Representative, o.PrivacyManager, o.Contact, o.PolicyURL)
	return nil
}

func (m *Main) noticeAdd(ctx context.Context, args []string) error {
	f := newFlags("notice add")
	supersedes := f.String("supersedes", "", "id of the notice version this one replaces")
	pos, err := f.parse(args, 1)
	if err != nil {
		return err
	}
	data, err := m.readInput("notice", pos[0])
	if err != nil {
		return err
	}
	body, err := capture.DecodeNoticeBody(data)
	if err != nil {
		return err
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.AddNotice(ctx, body, *supersedes)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(n)
	}
	m.say("%s", n.ID)
	return nil
}

func (m *Main) noticeShow(ctx context.Context, args []string) error {
	f := newFlags("notice show")
	pos, err := f.parse(args, 1)
	if err != nil {
		return err
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Notice(ctx, pos[0])
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(n)
	}
	m.say("%s (version %d, hash %s)", n.Title, n.Version, n.Hash)
	m.say("id: %s", n.ID)
	if n.Supersedes != "" {
		m.say("supersedes: %s", n.Supersedes)
	}
	m.say("purposes:")
	for i, p := range n.Purposes {
		m.say("  %d. %s", i+1, p)
	}
	m.say("items: %s", strings.Join(n.Items, ", "))
	if n.ThirdParty.Provides {
		m.say("third party: %s (items: %s; %s)", strings.Join(n.ThirdParty.Recipients, ", "), strings.Join(n.ThirdParty.Items, ", "), n.ThirdParty.Method)
	}
	if j := n.JointUse; j != nil {
		m.say("joint use: %s — %s (items: %s; responsible: %s, %s, %s)", j.Users, j.Purpose, strings.Join(j.Items, ", "), j.Responsible.Name, j.Responsible.Address, j.Responsible.Representative)
	}
	m.say("retention: %s\ncontact: %s\npolicy url: %s", n.Retention, n.Contact, n.PolicyURL)
	return nil
}

func (m *Main) eventAdd(ctx context.Context, args []string) error {
	f := newFlags("event add")
	var e capture.Event
	f.StringVar(&e.Name, "name", "", "event name")
	f.StringVar(&e.Venue, "venue", "", "venue")
	f.StringVar(&e.Date, "date", "", "first day, YYYY-MM-DD")
	f.StringVar(&e.End, "end", "", "last day, YYYY-MM-DD")
	f.StringVar(&e.NoticeID, "notice", "", "id of the purpose notice shown at this event")
	survey := f.String("survey", "", "survey definition JSON file")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	if *survey != "" {
		data, err := m.readInput("survey", *survey)
		if err != nil {
			return err
		}
		sv, err := capture.DecodeSurvey(data)
		if err != nil {
			return err
		}
		e.Survey = &sv
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	e, err = s.SaveEvent(ctx, e)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(e)
	}
	m.say("%s", e.ID)
	return nil
}

func (m *Main) eventList(ctx context.Context, args []string) error {
	f := newFlags("event list")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	events, err := s.Events(ctx)
	if err != nil {
		return err
	}
	if f.json {
		if events == nil {
			events = []capture.Event{}
		}
		return m.printJSON(events)
	}
	for _, e := range events {
		dates := e.Date
		if e.End != "" && e.End != e.Date {
			dates += "〜" + e.End
		}
		m.say("%s  %s  %s  %s", e.ID, dates, e.Name, e.Venue)
	}
	if len(events) == 0 {
		fmt.Fprintln(m.Stderr, "no events yet: boothctl event add --name .. --venue .. --date YYYY-MM-DD --notice ID")
	}
	return nil
}
