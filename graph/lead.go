package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
)

// This file is the codec of leads (招商线索): the type, its quads, its
// decoding, and the rules by which a lead changes.

// LeadID identifies a lead: a positive decimal number, given in order of
// creation ("1", "2" …).
type LeadID string

// ParseLeadID validates s as a lead id.
func ParseLeadID(s string) (LeadID, error) {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 || strconv.FormatUint(n, 10) != s {
		return "", fmt.Errorf("%w: lead id %q: want a positive number such as 12", ErrInvalid, s)
	}
	return LeadID(s), nil
}

// LeadIDOf returns the id of the n-th lead.
func LeadIDOf(n int) LeadID { return LeadID(strconv.Itoa(n)) }

// Num returns the lead's number (0 for an invalid id).
func (id LeadID) Num() int {
	n, _ := strconv.Atoi(string(id))
	return n
}

// IRI returns the lead's IRI.
func (id LeadID) IRI() quad.IRI { return quad.IRI(prefixLead + string(id)) }

// String returns the id.
func (id LeadID) String() string { return string(id) }

func (id LeadID) eventIRI(n int) quad.IRI {
	return quad.IRI(prefixLead + string(id) + "/event/" + strconv.Itoa(n))
}

// LeadStatus is where a lead stands. The Chinese words are the values: the
// 招商 teams' own terms, stable in the API and in the store.
type LeadStatus string

// Statuses, in the order a lead moves through them; LeadDropped leaves the line.
const (
	LeadNew         LeadStatus = "待接触"
	LeadContacted   LeadStatus = "已接触"
	LeadVisited     LeadStatus = "已拜访"
	LeadNegotiating LeadStatus = "洽谈中"
	LeadSigned      LeadStatus = "已签约"
	LeadLanded      LeadStatus = "已落地"
	LeadDropped     LeadStatus = "已放弃"
)

// LeadSteps lists the statuses of the line, in order (已放弃 is not one).
func LeadSteps() []LeadStatus {
	return []LeadStatus{LeadNew, LeadContacted, LeadVisited, LeadNegotiating, LeadSigned, LeadLanded}
}

// ParseLeadStatus validates a status word.
func ParseLeadStatus(s string) (LeadStatus, error) {
	v := LeadStatus(strings.TrimSpace(s))
	if v == LeadDropped || v.Step() >= 0 {
		return v, nil
	}
	return "", fmt.Errorf("%w: status %q: want one of 待接触, 已接触, 已拜访, 洽谈中, 已签约, 已落地, 已放弃", ErrInvalid, s)
}

// Step returns the status's position in the line (待接触 0 … 已落地 5), -1
// for 已放弃 or an unknown word.
func (s LeadStatus) Step() int { return slices.Index(LeadSteps(), s) }

// leadZone is the time zone of a lead's dates: the teams' working day.
var leadZone = time.FixedZone("CST", 8*3600)

// LeadDay returns the date of t in China Standard Time, YYYY-MM-DD.
func LeadDay(t time.Time) string { return t.In(leadZone).Format(time.DateOnly) }

// ParseDate validates a calendar date written YYYY-MM-DD.
func ParseDate(s string) (string, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("%w: date %q: want YYYY-MM-DD, such as 2025-12-31", ErrInvalid, s)
	}
	return t.Format(time.DateOnly), nil
}

// Lead is a 招商线索: a firm a team pursues for a region × chain, with its
// status and the whole history of its changes.
type Lead struct {
	ID         LeadID
	Firm       FirmID
	Region     RegionCode // the region the firm is attracted to
	Chain      ChainID
	Node       NodeID // the link it would fill; "" when not said
	Park       ParkID // the park it would settle in; "" when not said
	Owner      string // the person or team in charge
	Note       string // written when it was created
	Status     LeadStatus
	StatusDate string // when it reached Status, YYYY-MM-DD
	Next       string // the next follow-up, YYYY-MM-DD; "" for none
	CreatedBy  string
	CreatedAt  time.Time
	History    []LeadEvent // oldest first; the first is the creation
}

// LeadEvent is one change of a lead.
type LeadEvent struct {
	N       int // 1 for the creation, then in order
	At      time.Time
	By      string
	Note    string
	Changes []LeadChange
}

// LeadChange is one field of a lead changed by an event.
type LeadChange struct {
	Field    string // status, date, next, owner, node, park, and at creation firm, region, chain
	From, To string
}

// Lead fields an event may change, in the order they are listed.
const (
	LeadFieldFirm   = "firm"
	LeadFieldRegion = "region"
	LeadFieldChain  = "chain"
	LeadFieldNode   = "node"
	LeadFieldPark   = "park"
	LeadFieldOwner  = "owner"
	LeadFieldStatus = "status"
	LeadFieldDate   = "date"
	LeadFieldNext   = "next"
)

// NewLead makes a lead at 待接触 since date (YYYY-MM-DD; "" for the day of
// at, a lead recorded late may give an earlier day, never a later one),
// its creation the first event of its history. The caller checks that the
// firm, region, chain, node and park exist.
func NewLead(id LeadID, firm FirmID, region RegionCode, chain ChainID, node NodeID, park ParkID, owner, note, date, by string, at time.Time) (Lead, error) {
	at = at.UTC().Truncate(time.Second)
	day := LeadDay(at)
	if date != "" {
		d, err := ParseDate(date)
		if err != nil {
			return Lead{}, err
		}
		if d > day {
			return Lead{}, fmt.Errorf("%w: date %s is after today (%s)", ErrInvalid, d, day)
		}
		day = d
	}
	l := Lead{ID: id, Firm: firm, Region: region, Chain: chain, Node: node, Park: park, Owner: strings.TrimSpace(owner),
		Note: strings.TrimSpace(note), Status: LeadNew, StatusDate: day, CreatedBy: by, CreatedAt: at}
	ev := LeadEvent{N: 1, At: at, By: by, Note: l.Note}
	for _, c := range []LeadChange{{LeadFieldFirm, "", string(firm)}, {LeadFieldRegion, "", string(region)},
		{LeadFieldChain, "", string(chain)}, {LeadFieldNode, "", string(node)}, {LeadFieldPark, "", string(park)},
		{LeadFieldOwner, "", l.Owner}, {LeadFieldStatus, "", string(LeadNew)}, {LeadFieldDate, "", l.StatusDate}} {
		if c.To != "" {
			ev.Changes = append(ev.Changes, c)
		}
	}
	l.History = []LeadEvent{ev}
	return l, nil
}

// LeadUpdate is a change asked of a lead. A nil pointer leaves its field
// as it is; a pointer to "" clears it.
type LeadUpdate struct {
	Status LeadStatus // "" keeps the status
	Date   string     // the date the new status was reached; "" means the day of the change
	Next   *string
	Owner  *string
	Node   *NodeID
	Park   *ParkID
	Note   string // kept with the event
}

// Apply returns the lead with u applied as a new event by by at at. A
// status moves forward along the line (steps may be skipped), to 已放弃
// from any status but 已落地, or from 已放弃 back into the line; 已落地 is
// final. A status date may not precede the current status's date nor be
// after the day of the change. An update that changes nothing and carries
// no note is refused.
func (l Lead) Apply(u LeadUpdate, by string, at time.Time) (Lead, error) {
	at = at.UTC().Truncate(time.Second)
	today := LeadDay(at)
	ev := LeadEvent{N: len(l.History) + 1, At: at, By: by, Note: strings.TrimSpace(u.Note)}
	out := l
	out.History = slices.Clone(l.History)
	change := func(field string, from, to string) {
		if from != to {
			ev.Changes = append(ev.Changes, LeadChange{field, from, to})
		}
	}
	if u.Date != "" {
		d, err := ParseDate(u.Date)
		if err != nil {
			return l, err
		}
		u.Date = d
		if d > today {
			return l, fmt.Errorf("%w: date %s is after today (%s): a status is recorded when it is reached; a planned date goes in next", ErrInvalid, d, today)
		}
	}
	if u.Status != "" && u.Status != l.Status {
		if _, err := ParseLeadStatus(string(u.Status)); err != nil {
			return l, err
		}
		switch {
		case l.Status == LeadLanded:
			return l, fmt.Errorf("%w: lead %s has landed (已落地); its status is final", ErrConflict, l.ID)
		case u.Status == LeadDropped, l.Status == LeadDropped:
		case u.Status.Step() < l.Status.Step():
			return l, fmt.Errorf("%w: lead %s is at %s; a status moves forward (to %s it cannot go back), or to 已放弃", ErrConflict, l.ID, l.Status, u.Status)
		}
		d := cmp.Or(u.Date, today)
		if d < l.StatusDate {
			return l, fmt.Errorf("%w: date %s is before %s, when the lead reached %s", ErrInvalid, d, l.StatusDate, l.Status)
		}
		change(LeadFieldStatus, string(l.Status), string(u.Status))
		change(LeadFieldDate, l.StatusDate, d)
		out.Status, out.StatusDate = u.Status, d
	} else if u.Date != "" && u.Date != l.StatusDate {
		// The same status, another date: a correction of when it was reached.
		if prev, ok := l.previousStatusDate(); ok && u.Date < prev {
			return l, fmt.Errorf("%w: date %s is before %s, when the lead reached its previous status", ErrInvalid, u.Date, prev)
		}
		change(LeadFieldDate, l.StatusDate, u.Date)
		out.StatusDate = u.Date
	}
	if u.Next != nil {
		next := *u.Next
		if next != "" {
			d, err := ParseDate(next)
			if err != nil {
				return l, fmt.Errorf("next follow-up: %w", err)
			}
			next = d
		}
		change(LeadFieldNext, l.Next, next)
		out.Next = next
	}
	if u.Owner != nil {
		o := strings.TrimSpace(*u.Owner)
		change(LeadFieldOwner, l.Owner, o)
		out.Owner = o
	}
	if u.Node != nil {
		change(LeadFieldNode, string(l.Node), string(*u.Node))
		out.Node = *u.Node
	}
	if u.Park != nil {
		change(LeadFieldPark, string(l.Park), string(*u.Park))
		out.Park = *u.Park
	}
	if len(ev.Changes) == 0 && ev.Note == "" {
		return l, fmt.Errorf("%w: lead %s: the update changes nothing and has no note", ErrInvalid, l.ID)
	}
	out.History = append(out.History, ev)
	return out, nil
}

// previousStatusDate returns the date the lead reached the status before
// its current one, replaying its history.
func (l Lead) previousStatusDate() (string, bool) {
	var prev, cur string
	statuses := 0
	for _, ev := range l.History {
		date, status := cur, false
		for _, c := range ev.Changes {
			switch c.Field {
			case LeadFieldStatus:
				status = true
			case LeadFieldDate:
				date = c.To
			}
		}
		if status {
			statuses++
			prev = cur
		}
		cur = date
	}
	return prev, statuses > 1 && prev != ""
}

// Reached returns, for each status the lead entered, the date it entered
// it last (a status left and entered again counts from the second time).
func (l Lead) Reached() map[LeadStatus]string {
	out := map[LeadStatus]string{}
	for _, ev := range l.History {
		var st LeadStatus
		date := LeadDay(ev.At)
		for _, c := range ev.Changes {
			switch c.Field {
			case LeadFieldStatus:
				st = LeadStatus(c.To)
			case LeadFieldDate:
				date = c.To
			}
		}
		if st != "" {
			out[st] = date
		}
	}
	return out
}

// LandedOn returns the date the lead landed, if it is at 已落地.
func (l Lead) LandedOn() (string, bool) {
	if l.Status != LeadLanded || l.StatusDate == "" {
		return "", false
	}
	return l.StatusDate, true
}

func (l Lead) encode(e *encoder) {
	s := l.ID.IRI()
	e.add(s, PredType, ClassLead)
	e.add(s, PredLeadFirm, l.Firm.IRI())
	e.add(s, PredLeadRegion, l.Region.IRI())
	e.add(s, PredLeadChain, l.Chain.IRI())
	if l.Node != "" {
		e.add(s, PredLeadNode, l.Node.IRI())
	}
	if l.Park != "" {
		e.add(s, PredLeadPark, l.Park.IRI())
	}
	e.str(s, PredLeadOwner, l.Owner)
	e.str(s, PredLeadNote, l.Note)
	e.str(s, PredLeadStatus, string(l.Status))
	e.str(s, PredStatusDate, l.StatusDate)
	e.str(s, PredNextFollowUp, l.Next)
	e.str(s, PredCreatedBy, l.CreatedBy)
	if !l.CreatedAt.IsZero() {
		e.str(s, PredCreatedAt, l.CreatedAt.UTC().Format(time.RFC3339))
	}
	for _, ev := range l.History {
		es := l.ID.eventIRI(ev.N)
		e.add(s, PredHistory, es)
		e.add(es, PredType, ClassLeadEvent)
		e.str(es, PredEventAt, ev.At.UTC().Format(time.RFC3339))
		e.str(es, PredEventBy, ev.By)
		e.str(es, PredEventNote, ev.Note)
		clean := strings.NewReplacer("\t", " ", "\n", " ")
		for i, c := range ev.Changes {
			e.str(es, PredEventChange, strings.Join([]string{strconv.Itoa(i), c.Field, clean.Replace(c.From), clean.Replace(c.To)}, "\t"))
		}
	}
}

// LeadMerge decodes the quads of one lead and of its events; its ID is
// set by whoever makes it (LeadSubject reads it from the IRI).
type LeadMerge struct {
	Lead
	// Bad are the stored values that could not be read (a time that is not
	// a time, a change without its four parts); they are left out.
	Bad     []BadValue
	events  map[int]*LeadEvent
	changes map[int][]indexedChange
}

type indexedChange struct {
	i int
	c LeadChange
}

// LeadSubject splits the local part of a lead IRI ("12" or "12/event/3")
// into the lead's id and the event's number (0 for the lead itself).
func LeadSubject(rest string) (LeadID, int, bool) {
	id, ev, isEvent := strings.Cut(rest, "/event/")
	lid, err := ParseLeadID(id)
	if err != nil {
		return "", 0, false
	}
	if !isEvent {
		return lid, 0, true
	}
	n, err := strconv.Atoi(ev)
	if err != nil || n < 1 {
		return "", 0, false
	}
	return lid, n, true
}

// timeOf reads a stored time; one that does not read is reported and
// left zero.
func (m *LeadMerge) timeOf(q quad.Quad) time.Time {
	t, err := time.Parse(time.RFC3339, StrOf(q.Object))
	if err != nil {
		m.Bad = append(m.Bad, BadValueOf(q))
	}
	return t
}

// Add decodes one quad of the lead (event 0) or of its event n.
func (m *LeadMerge) Add(event int, q quad.Quad) {
	if event > 0 {
		if m.events == nil {
			m.events, m.changes = map[int]*LeadEvent{}, map[int][]indexedChange{}
		}
		ev, ok := m.events[event]
		if !ok {
			ev = &LeadEvent{N: event}
			m.events[event] = ev
		}
		switch q.Predicate {
		case PredEventAt:
			ev.At = m.timeOf(q)
		case PredEventBy:
			ev.By = StrOf(q.Object)
		case PredEventNote:
			ev.Note = StrOf(q.Object)
		case PredEventChange:
			p := strings.SplitN(StrOf(q.Object), "\t", 4)
			i, err := 0, error(nil)
			if len(p) == 4 {
				i, err = strconv.Atoi(p[0])
			}
			if len(p) != 4 || err != nil {
				m.Bad = append(m.Bad, BadValueOf(q))
				break
			}
			m.changes[event] = append(m.changes[event], indexedChange{i, LeadChange{p[1], p[2], p[3]}})
		}
		return
	}
	switch q.Predicate {
	case PredLeadFirm:
		m.Firm, _ = FirmOf(IRIOf(q.Object))
	case PredLeadRegion:
		m.Region = RegionOf(q.Object)
	case PredLeadChain:
		m.Chain = ChainOf(q.Object)
	case PredLeadNode:
		m.Node = NodeOf(q.Object)
	case PredLeadPark:
		m.Park = ParkOf(q.Object)
	case PredLeadOwner:
		m.Owner = StrOf(q.Object)
	case PredLeadNote:
		m.Note = StrOf(q.Object)
	case PredLeadStatus:
		m.Status = LeadStatus(StrOf(q.Object))
	case PredStatusDate:
		m.StatusDate = StrOf(q.Object)
	case PredNextFollowUp:
		m.Next = StrOf(q.Object)
	case PredCreatedBy:
		m.CreatedBy = StrOf(q.Object)
	case PredCreatedAt:
		m.CreatedAt = m.timeOf(q)
	}
}

// Result returns the decoded lead, its history in order. ok is false for
// stray event quads without the lead itself.
func (m *LeadMerge) Result() (Lead, bool) {
	l := m.Lead
	if l.Firm == "" || l.Status == "" {
		return Lead{}, false
	}
	l.History = make([]LeadEvent, 0, len(m.events))
	for n, ev := range m.events {
		cs := m.changes[n]
		slices.SortFunc(cs, func(a, b indexedChange) int { return cmp.Compare(a.i, b.i) })
		ev.Changes = make([]LeadChange, len(cs))
		for i, c := range cs {
			ev.Changes[i] = c.c
		}
		l.History = append(l.History, *ev)
	}
	slices.SortFunc(l.History, func(a, b LeadEvent) int { return cmp.Compare(a.N, b.N) })
	return l, true
}
