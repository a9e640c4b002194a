package feeds

import (
	"slices"
	"time"
)

// budgetWindow is the span a Limits.PerMinute counts over.
const budgetWindow = time.Minute

// budgetMargin is kept free in every window for requests the poller cannot
// foresee: the cookie and crumb of a session handshake.
const budgetMargin = 2

// quoteShare is the part of a source's minute that quote refreshes may take;
// the rest fills series. A watch too large for it refreshes quotes less often.
const quoteShare = 2.0 / 3

// requestBudget keeps a source within its requests a minute. It remembers
// when each request went out and answers whether n more fit now without any
// 60-second window, now or during the coming minute, holding more than the
// limit, counting the quote refreshes already planned for that minute.
type requestBudget struct {
	perMinute int
	sent      []time.Time // one per request, oldest first; only the last minute is kept
}

// planned is a quote refresh expected at an instant, and what it will cost.
type planned struct {
	at   time.Time
	cost int
}

// record notes n requests sent at now.
func (b *requestBudget) record(now time.Time, n int) {
	for range n {
		b.sent = append(b.sent, now)
	}
	b.forget(now)
}

// forget drops what has left every window that can still matter.
func (b *requestBudget) forget(now time.Time) {
	cut := 0
	for cut < len(b.sent) && !b.sent[cut].After(now.Add(-budgetWindow)) {
		cut++
	}
	b.sent = slices.Delete(b.sent, 0, cut)
}

// fits reports whether n requests may be sent at now, given the refreshes
// planned after it. Unlimited budgets always fit.
func (b *requestBudget) fits(now time.Time, n int, plan []planned) bool {
	if b.perMinute <= 0 {
		return true
	}
	b.forget(now)
	limit := b.perMinute - budgetMargin
	// Every window that holds the new requests ends at now or at a planned
	// refresh within the minute; those are the ones to check.
	ends := []time.Time{now}
	for _, p := range plan {
		if p.at.After(now) && p.at.Before(now.Add(budgetWindow)) {
			ends = append(ends, p.at)
		}
	}
	for _, end := range ends {
		count := n
		for _, t := range b.sent {
			if t.After(end.Add(-budgetWindow)) {
				count++
			}
		}
		for _, p := range plan {
			if p.at.After(now) && !p.at.After(end) {
				count += p.cost
			}
		}
		if count > limit {
			return false
		}
	}
	return true
}

// wait is how long until n requests fit with no plan: when the oldest
// requests in the way leave the window.
func (b *requestBudget) wait(now time.Time, n int) time.Duration {
	if b.perMinute <= 0 {
		return 0
	}
	b.forget(now)
	over := len(b.sent) + n - (b.perMinute - budgetMargin)
	if over <= 0 {
		return 0
	}
	if over > len(b.sent) {
		// More than a whole minute's budget in one go: let it through once
		// the window is empty rather than never.
		over = len(b.sent)
	}
	if over == 0 {
		return 0
	}
	return b.sent[over-1].Add(budgetWindow).Sub(now) + time.Millisecond
}

// quoteInterval stretches the refresh interval so that quote refreshes take
// at most quoteShare of the budget: a watch of many symbols refreshes less
// often rather than starving its series or passing the limit.
func quoteInterval(every time.Duration, calls int, l Limits) time.Duration {
	if l.PerMinute <= 0 || calls <= 0 {
		return every
	}
	share := max(1, int(float64(l.PerMinute-budgetMargin)*quoteShare))
	least := time.Duration(calls) * budgetWindow / time.Duration(share)
	return max(every, least)
}

// quoteCalls is how many requests one quote refresh of n symbols takes.
func quoteCalls(n int, l Limits) int {
	if n == 0 {
		return 0
	}
	if l.QuoteBatch <= 0 {
		return 1
	}
	return (n + l.QuoteBatch - 1) / l.QuoteBatch
}
