package ghactions

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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

// archiveHost serves store as the host the API redirects log downloads to,
// and returns the base URL of the API.
func archiveHost(t *testing.T, store http.HandlerFunc) string {
	t.Helper()
	s := httptest.NewServer(store)
	t.Cleanup(s.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, s.URL+"/logs.zip?sig=x", http.StatusFound)
	}))
	t.Cleanup(api.Close)
	return api.URL + "/api/v3/"
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

func TestLogArchiveArrivesAsSent(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	archive := buildZip(t, zipEntry{name: "0_build.txt", body: strings.Repeat("compressible ", 1000)})
	encoded := gzipped(t, archive)
	var (
		mu    sync.Mutex
		asked []string
	)
	base := archiveHost(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Header.Get("Accept-Encoding"))
		mu.Unlock()
		// A host that encodes whatever it was asked: asked for gzip, Go's
		// transport would inflate this without limit.
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(encoded)
	})
	c, err := NewClient(WithBaseURL(base), WithRetryPolicy(RetryPolicy{}))
	require.NoError(t, err)
	ctx := context.Background()

	rc, _, err := c.Runs.Logs(ctx, "octo-org", "octo-repo", 42)
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, encoded, got, "Logs streams the bytes as the host sent them")

	a, err := c.Runs.DownloadLogArchive(ctx, "octo-org", "octo-repo", 42)
	assert.ErrorIs(t, err, ErrInvalidArchive, "gzip bytes on disk are not a zip")
	assert.Nil(t, a)
	assert.Empty(t, tempArchives(t))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"identity", "identity"}, asked)
}

func TestDownloadLogArchiveCapsItsSize(t *testing.T) {
	archive := buildZip(t, zipEntry{name: "0_build.txt", body: "2026-11-26T10:00:00.0000000Z build log\n"})
	size := int64(len(archive))
	tests := []struct {
		name     string
		max      int64 // 0: no option
		declared int64 // Content-Length to send; 0: none, chunked
		wantErr  error
	}{
		{name: "at the cap", max: size},
		{name: "over the cap", max: size - 1, wantErr: ErrLogArchiveTooLarge},
		{name: "declared over the cap", max: size - 1, declared: size, wantErr: ErrLogArchiveTooLarge},
		// The body is cut short of what the header says: the download must
		// fail on the header, before it reads the body.
		{name: "declared far over the cap", declared: 1 << 40, wantErr: ErrLogArchiveTooLarge},
		{name: "default cap", declared: size},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TMPDIR", t.TempDir())
			base := archiveHost(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.declared != 0 {
					w.Header().Set("Content-Length", strconv.FormatInt(tt.declared, 10))
				} else {
					w.(http.Flusher).Flush() // chunked: the size shows only as it arrives
				}
				w.Write(archive)
			})
			opts := []Option{WithBaseURL(base), WithRetryPolicy(RetryPolicy{})}
			if tt.max != 0 {
				opts = append(opts, WithMaxLogArchiveSize(tt.max))
			}
			c, err := NewClient(opts...)
			require.NoError(t, err)

			for name, download := range map[string]func() (*LogArchive, error){
				"run": func() (*LogArchive, error) {
					return c.Runs.DownloadLogArchive(context.Background(), "octo-org", "octo-repo", 42)
				},
				"attempt": func() (*LogArchive, error) {
					return c.Runs.DownloadAttemptLogArchive(context.Background(), "octo-org", "octo-repo", 42, 2)
				},
			} {
				a, err := download()
				if tt.wantErr != nil {
					require.ErrorIs(t, err, tt.wantErr, name)
					assert.Nil(t, a, name)
					assert.Empty(t, tempArchives(t), "%s: no temporary file is left", name)
					continue
				}
				require.NoError(t, err, name)
				assert.Len(t, a.Jobs, 1, name)
				require.NoError(t, a.Close(), name)
			}
		})
	}
}

func TestWithMaxLogArchiveSize(t *testing.T) {
	for _, n := range []int64{0, -1} {
		_, err := NewClient(WithMaxLogArchiveSize(n))
		assert.ErrorIs(t, err, ErrInvalidArgument, "%d", n)
	}
	c, err := NewClient()
	require.NoError(t, err)
	assert.Equal(t, int64(1<<30), c.Runs.maxLogArchiveSize(), "the default")
	c, err = NewClient(WithMaxLogArchiveSize(5 << 20))
	require.NoError(t, err)
	assert.Equal(t, int64(5<<20), c.Runs.maxLogArchiveSize())
}
