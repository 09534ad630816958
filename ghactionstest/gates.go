package ghactionstest

import (
	"slices"
	"strings"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// gate is how far an attempt's deployment to an environment has got
// through the environment's protection rules.
type gate struct {
	reviewed bool // a required reviewer approved it
	passed   bool // its custom gate was approved
}

// gate returns the attempt's gate for e, to change it, made on first use.
func (a *attemptState) gate(e *environmentState) *gate {
	if a.gates == nil {
		a.gates = map[int64]*gate{}
	}
	g := a.gates[e.env.ID]
	if g == nil {
		g = &gate{}
		a.gates[e.env.ID] = g
	}
	return g
}

// gateState is the attempt's gate for e, as it is: nothing passed when
// there is none yet.
func (a *attemptState) gateState(e *environmentState) gate {
	if g := a.gates[e.env.ID]; g != nil {
		return *g
	}
	return gate{}
}

// holds reports whether e's rules still hold the attempt's deployment to it.
func (a *attemptState) holds(e *environmentState) bool {
	g := a.gateState(e)
	return len(e.reviewers) > 0 && !g.reviewed || e.customGate && !g.passed
}

// waitsOn reports whether j waits to deploy to e.
func waitsOn(j *Job, e *environmentState) bool {
	return j.Status == ghactions.StatusWaiting && strings.EqualFold(j.Environment, e.env.Name)
}

// waiting reports whether a job of the attempt waits to deploy to e.
func (a *attemptState) waiting(e *environmentState) bool {
	for _, j := range a.jobs {
		if waitsOn(j, e) {
			return true
		}
	}
	return false
}

// pending lists the environments of repo that the attempt's deployments
// wait on, held by their rules, oldest environment first.
func (a *attemptState) pending(repo *repoState) []*environmentState {
	var out []*environmentState
	for _, e := range repo.environments {
		if a.waiting(e) && a.holds(e) {
			out = append(out, e)
		}
	}
	return out
}

// waitingSince is when the attempt's jobs that deploy to e began to wait:
// when the last job they need completed, or when the attempt started.
func (a *attemptState) waitingSince(e *environmentState) time.Time {
	t := a.startedAt
	for _, j := range a.jobs {
		if !waitsOn(j, e) {
			continue
		}
		for _, k := range a.jobs {
			if slices.Contains(j.Needs, k.Name) && k.CompletedAt.After(t) {
				t = k.CompletedAt
			}
		}
	}
	return t
}

// release lets the attempt's jobs that wait on e go on: they are queued.
func (a *attemptState) release(e *environmentState) {
	for _, j := range a.jobs {
		if waitsOn(j, e) {
			j.Status = ghactions.StatusQueued
		}
	}
}

// reject fails the attempt's jobs that wait on e, as GitHub fails a job
// whose deployment is rejected, and skips the jobs that need them.
func (a *attemptState) reject(e *environmentState, now time.Time) {
	failed := make([]bool, len(a.jobs))
	for i, j := range a.jobs {
		if waitsOn(j, e) {
			failed[i] = true
			j.Status, j.Conclusion, j.CompletedAt = ghactions.StatusCompleted, ghactions.ConclusionFailure, now
		}
	}
	markDependents(a.jobs, failed)
	for i, j := range a.jobs {
		if failed[i] && j.Status != ghactions.StatusCompleted {
			j.Status, j.Conclusion, j.CompletedAt = ghactions.StatusCompleted, ghactions.ConclusionSkipped, now
		}
	}
}

// settle sets the attempt's status from its jobs after a review: waiting
// while a job waits, in progress once a job has started, queued before;
// completed when every job has, with failure when one failed.
func (a *attemptState) settle(now time.Time) {
	a.updatedAt = now
	var waiting, started, unfinished, failed bool
	for _, j := range a.jobs {
		switch j.Status {
		case ghactions.StatusCompleted:
			started = started || j.ran()
			failed = failed || j.Conclusion == ghactions.ConclusionFailure || j.Conclusion == ghactions.ConclusionTimedOut
		case ghactions.StatusWaiting:
			waiting, unfinished = true, true
		case ghactions.StatusInProgress:
			started, unfinished = true, true
		default:
			unfinished = true
		}
	}
	switch {
	case !unfinished:
		a.status, a.conclusion = ghactions.StatusCompleted, ghactions.ConclusionSuccess
		if failed {
			a.conclusion = ghactions.ConclusionFailure
		}
	case waiting:
		a.status = ghactions.StatusWaiting
	case started:
		a.status = ghactions.StatusInProgress
	default:
		a.status = ghactions.StatusQueued
	}
}
