package ghactions

import (
	"errors"
	"fmt"
	"io"
)

// DefaultMaxLogArchiveSize is the most that DownloadLogArchive and
// DownloadAttemptLogArchive write to their temporary file unless
// WithMaxLogArchiveSize says otherwise: 1 GiB. A run's archive is compressed
// text, commonly kilobytes to tens of megabytes even for wide matrices (a
// matrix has at most 256 jobs); GitHub documents no upper bound, so the
// default leaves room for the largest runs while keeping a broken or hostile
// host from filling the disk.
const DefaultMaxLogArchiveSize int64 = 1 << 30

// ErrLogArchiveTooLarge is wrapped by the error of DownloadLogArchive and
// DownloadAttemptLogArchive when the archive is larger than the client's
// limit (see WithMaxLogArchiveSize). Nothing is left on disk. It does not
// match ErrInvalidArchive: the archive may be sound, only larger than allowed.
var ErrLogArchiveTooLarge = errors.New("ghactions: log archive larger than the limit")

// WithMaxLogArchiveSize sets the most that DownloadLogArchive and
// DownloadAttemptLogArchive write to disk, in bytes of the archive as it
// arrives; the default is DefaultMaxLogArchiveSize. A larger archive fails
// with ErrLogArchiveTooLarge, as soon as its Content-Length or its bytes show
// it. Logs and AttemptLogs, which hand the stream to the caller, are not
// limited. An n below 1 makes NewClient fail with ErrInvalidArgument.
func WithMaxLogArchiveSize(n int64) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("%w: log archive size limit %d is below 1", ErrInvalidArgument, n)
		}
		c.maxLogArchive = n
		return nil
	}
}

func (s *RunsService) maxLogArchiveSize() int64 {
	if n := s.client.maxLogArchive; n > 0 {
		return n
	}
	return DefaultMaxLogArchiveSize
}

// downloadLogArchive stores the archive that Logs or AttemptLogs returned,
// within the client's limit, and opens it.
func (s *RunsService) downloadLogArchive(rc io.ReadCloser, resp *Response) (*LogArchive, error) {
	limit := s.maxLogArchiveSize()
	if resp != nil && resp.Response != nil && resp.ContentLength > limit {
		return nil, errors.Join(tooLarge(limit), rc.Close())
	}
	return openLogArchiveFrom(rc, limit)
}

func tooLarge(limit int64) error {
	return fmt.Errorf("%w of %d bytes", ErrLogArchiveTooLarge, limit)
}
