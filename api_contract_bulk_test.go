package ghactions_test

// This file pins the public API of ../shared/API.md's "RunsService —
// starting runs and cleaning up" and WithWritePacing, as api_contract_test.go
// pins the rest.

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/seed42f0b14b/ghactions"
)

var (
	_ func(time.Duration) ghactions.Option = ghactions.WithWritePacing

	_ func(*ghactions.RunsService, context.Context, string, string, string, ghactions.DispatchOptions) (*ghactions.DispatchedRun, *ghactions.Response, error) = (*ghactions.RunsService).Dispatch
	_ func(*ghactions.RunsService, context.Context, string, string, ghactions.PruneOptions) (*ghactions.PruneReport, error)                                   = (*ghactions.RunsService).Prune

	_       = ghactions.DispatchOptions{Ref: string(""), Inputs: map[string]any(nil)}
	_       = ghactions.DispatchedRun{RunID: int64(0), RunURL: string(""), HTMLURL: string("")}
	_ error = ghactions.ErrRunNotIdentified

	_ = ghactions.PruneOptions{
		Filter:     ghactions.ListOptions{},
		OlderThan:  time.Duration(0),
		KeepLatest: int(0),
		LogsOnly:   bool(false),
		DryRun:     bool(false),
		OnRun:      func(run *ghactions.WorkflowRun, action ghactions.PruneAction, err error) {},
	}
	_ = ghactions.PruneReport{
		Listed:      int(0),
		Kept:        int(0),
		Deleted:     int(0),
		AlreadyGone: int(0),
		Failed:      []ghactions.PruneFailure(nil),
		Requests:    int(0),
	}
	_ = ghactions.PruneFailure{RunID: int64(0), Err: error(nil)}
)

func TestContractBulkValues(t *testing.T) {
	actions := map[ghactions.PruneAction]string{
		ghactions.PruneKept:        "kept",
		ghactions.PruneDeleted:     "deleted",
		ghactions.PruneWouldDelete: "would-delete",
		ghactions.PruneAlreadyGone: "already-gone",
		ghactions.PruneFailed:      "failed",
	}
	assert.Len(t, actions, 5)
	for a, want := range actions {
		assert.Equal(t, want, string(a))
	}
	assert.Equal(t, time.Second, ghactions.DefaultWritePacing)
	for _, err := range []error{ghactions.ErrRunNotIdentified, ghactions.ErrListCap} {
		assert.NotNil(t, err)
		assert.False(t, errors.Is(err, ghactions.ErrInvalidArgument))
	}
}
