package ghactions_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// zipOf writes an archive of files, given as name and content pairs, in
// that order.
func zipOf(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		require.NoError(t, err)
		_, err = io.WriteString(w, files[i+1])
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// openArchive opens an archive of files, given as name and content pairs.
func openArchive(t testing.TB, files ...string) *ghactions.LogArchive {
	t.Helper()
	b := zipOf(t, files...)
	a, err := ghactions.OpenLogArchive(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	return a
}
