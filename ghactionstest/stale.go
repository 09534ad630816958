package ghactionstest

// WithStaleAfterRerun makes the server answer, for a moment after a re-run,
// as GitHub may: the next gets GETs of the run (GET .../runs/{run}) after
// Rerun, RerunFailedJobs or RerunJob still show the attempt before it,
// completed, as if the re-run had not happened; run_attempt tells them
// apart. It lets a test see that waiting code does not take the old attempt
// for the result of the re-run. The attempts, the list and the logs show the
// new attempt at once. The default, 0, shows the new attempt at once
// everywhere. NewServer panics on a negative gets.
func WithStaleAfterRerun(gets int) Option {
	return func(c *config) {
		if gets < 0 {
			panic("ghactionstest: negative stale GETs after a re-run")
		}
		c.staleGets = gets
	}
}

// shown is the attempt that a GET of the run shows: the one before the
// latest while the latest re-run is still stale, which the GET counts
// down, else the latest. The caller holds st.mu.
func (r *runState) shown() *attemptState {
	if r.staleGets > 0 && len(r.attempts) > 1 {
		r.staleGets--
		return r.attempts[len(r.attempts)-2]
	}
	return r.latest()
}
