package feeds

import "context"

// setMode moves the feed to mode m and wakes Stream. Called with mu held.
func (a *autoFeed) setMode(m autoMode) {
	if a.mode == m {
		return
	}
	a.mode = m
	close(a.changed)
	a.changed = make(chan struct{})
}

// Stream pushes the prices of the source in use: none until the first
// answer decides, then the primary's stream, or the fallback's while the
// fallback is shown, so simulated trades never mix with real prices.
func (a *autoFeed) Stream(ctx context.Context, subs <-chan []string, sink StreamSink) error {
	if StreamOf(a.primary) == nil && StreamOf(a.fallback) == nil {
		return ErrNoStream
	}
	var latest []string
	for {
		a.mu.Lock()
		mode, changed := a.mode, a.changed
		a.mu.Unlock()
		var s Streamer
		switch mode {
		case autoPrimary:
			s = StreamOf(a.primary)
		case autoFallback:
			s = StreamOf(a.fallback)
		}
		if !a.streamUntil(ctx, changed, s, subs, &latest, sink) {
			return nil
		}
	}
}

// streamUntil runs s (none when nil) until changed closes, passing it each
// new list from subs; false once ctx has ended.
func (a *autoFeed) streamUntil(ctx context.Context, changed <-chan struct{}, s Streamer,
	subs <-chan []string, latest *[]string, sink StreamSink) bool {
	run, cancel := context.WithCancel(ctx)
	defer cancel()
	inner := make(chan []string, 1)
	if *latest != nil {
		inner <- *latest
	}
	var done chan error
	if s != nil {
		done = make(chan error, 1)
		go func() { done <- s.Stream(run, inner, sink) }()
	} else if sink.Status != nil {
		sink.Status(StreamStatus{State: StreamOff})
	}
	stop := func() {
		cancel()
		if done != nil {
			<-done
		}
	}
	for {
		select {
		case <-ctx.Done():
			stop()
			return false
		case l := <-subs:
			*latest = l
			replaceLatest(inner, l)
		case <-changed:
			stop()
			return true
		case <-done: // this source streams nothing; wait for the next
			done = nil
			if sink.Status != nil {
				sink.Status(StreamStatus{State: StreamOff})
			}
		}
	}
}
