package ghactions

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDownloadLogArchive(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // a folder of its own, so that other tests' files do not count
	archive := buildZip(t,
		zipEntry{name: "0_build.txt", body: "2026-11-26T10:00:00.0000000Z build log\n"},
		zipEntry{name: "build/1_Set up job.txt", body: "2026-11-26T10:00:00.0000000Z setting up\n"},
		zipEntry{name: "build/2_Run make.txt", body: "2026-11-26T10:00:01.0000000Z make: ok\n"},
	)
	store := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			http.Error(w, "no auth here", http.StatusForbidden)
			return
		}
		w.Write(archive)
	}))
	defer store.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v3/repos/octo-org/octo-repo/actions/runs/42/logs", "/api/v3/repos/octo-org/octo-repo/actions/runs/42/attempts/2/logs":
			http.Redirect(w, r, store.URL+"/logs.zip?sig=x", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer api.Close()
	c, err := NewClient(WithBaseURL(api.URL+"/api/v3/"), WithToken("s3cr3t"), WithRetryPolicy(RetryPolicy{}))
	require.NoError(t, err)

	downloads := map[string]func() (*LogArchive, error){
		"run": func() (*LogArchive, error) {
			return c.Runs.DownloadLogArchive(context.Background(), "octo-org", "octo-repo", 42)
		},
		"attempt": func() (*LogArchive, error) {
			return c.Runs.DownloadAttemptLogArchive(context.Background(), "octo-org", "octo-repo", 42, 2)
		},
	}
	for name, download := range downloads {
		t.Run(name, func(t *testing.T) {
			before := tempArchives(t)
			a, err := download()
			require.NoError(t, err)
			require.Len(t, a.Jobs, 1)
			step := a.Job("build").Step(2)
			require.NotNil(t, step)
			rc, err := step.Open()
			require.NoError(t, err)
			b, err := io.ReadAll(rc)
			require.NoError(t, err)
			require.NoError(t, rc.Close())
			assert.Equal(t, "2026-11-26T10:00:01.0000000Z make: ok\n", string(b))
			assert.Len(t, tempArchives(t), len(before)+1, "the archive is kept in a temporary file")
			require.NoError(t, a.Close())
			assert.Equal(t, before, tempArchives(t), "Close removes the temporary file")
		})
	}

	t.Run("not found", func(t *testing.T) {
		before := tempArchives(t)
		_, err := c.Runs.DownloadLogArchive(context.Background(), "octo-org", "octo-repo", 7)
		require.ErrorIs(t, err, ErrNotFound)
		assert.Equal(t, before, tempArchives(t))
	})
}

func tempArchives(t *testing.T) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(os.TempDir(), "ghactions-logs-*.zip"))
	require.NoError(t, err)
	return m
}
