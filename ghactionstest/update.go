package ghactionstest

import (
	"bytes"
	"encoding/json"

	"github.com/seed42f0b14b/ghactions"
)

// UpdateRun changes a run as fn changes it: fn gets the run as the API shows
// it at its latest attempt, and what it changes is kept, but for the ID and
// the attempt number. When fn changes the run and leaves UpdatedAt alone,
// UpdatedAt becomes now, as on GitHub. Unless the server is live
// (WithLive), a fake run does not move on its own; this is how a test moves
// it along (queued, in progress, completed), from OnRequest for instance, to
// see a poller through. The jobs are left as they are (CompleteRun completes
// them). In live mode, fn sees the run where the clock has brought it, and
// the run moves on from there. fn runs holding the server's lock: it must
// not call the server. UpdateRun returns the run as the API shows it, and
// panics when there is no such run.
func (s *Server) UpdateRun(owner, repo string, runID int64, fn func(run *ghactions.WorkflowRun)) *ghactions.WorkflowRun {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance()
	r := st.mustRun(owner, repo, runID)
	a := r.latest()
	before := r.view(a, false)
	run := copyRun(&before)
	fn(run)
	if changed := !bytes.Equal(marshalRun(&before), marshalRun(run)); changed && run.UpdatedAt.Equal(before.UpdatedAt) {
		run.UpdatedAt = st.nowSecond()
	}
	a.status, a.conclusion, a.startedAt, a.updatedAt, a.triggeringActor = run.Status, run.Conclusion, run.RunStartedAt, run.UpdatedAt, run.TriggeringActor
	run.ID = r.run.ID
	r.keep(*run)
	st.advance() // from the run as fn left it
	v := r.view(a, false)
	return copyRun(&v)
}

// marshalRun is the run as the API sends it, to compare two runs.
func marshalRun(run *ghactions.WorkflowRun) []byte {
	b, _ := json.Marshal(run) // copyRun has marshalled it: it cannot fail
	return b
}
