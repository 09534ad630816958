package ghactions

import (
	"time"
)

// jobTimeSlack is how far outside a job's times the first line of its log
// may be written: the runner's clock and GitHub's need not agree.
const jobTimeSlack = time.Minute

// JobFor returns the archive's job that is job of the jobs API, or nil if
// the archive has none: a job that did not run, or whose log is in another
// attempt's archive (a job that a partial re-run kept).
//
// It matches job.Name the way GitHub writes names in archive paths: as it
// is, or with the characters a Windows file name cannot hold ("/", ":" and
// others) dropped or replaced by "_", and cut at 90 UTF-16 code units; so
// "build / test: unit" finds "build  test unit" and "build _ test_ unit".
// When several of the archive's jobs have that name (jobs named alike, or
// alike in their first 90 units), the first line of each one's log tells
// them apart: its timestamp must fall between job.CreatedAt (the runner
// writes its first lines as the job waits for it) and job.CompletedAt,
// give or take a minute, and the closest to job.StartedAt wins, the first
// in job order on a tie. A lone job of that name whose log starts outside
// those times is another job, and JobFor returns nil; a job without times
// (a zero CreatedAt) is matched by name alone. Reading a first line decompresses
// only the start of a log. A nil archive or job gives nil.
func (a *LogArchive) JobFor(job *Job) *JobLog {
	if a == nil || job == nil {
		return nil
	}
	dropped, replaced := archiveName(job.Name, -1), archiveName(job.Name, '_')
	var best *JobLog
	var bestOff time.Duration
	for _, j := range a.Jobs {
		if j.Name != job.Name && j.Name != dropped && j.Name != replaced {
			continue
		}
		if job.CreatedAt.IsZero() {
			return j
		}
		first, ok := firstStamp(j)
		if !ok {
			if best == nil {
				best, bestOff = j, time.Duration(1<<63-1)
			}
			continue
		}
		if !job.within(first) {
			continue
		}
		off := first.Sub(job.StartedAt).Abs()
		if best == nil || off < bestOff {
			best, bestOff = j, off
		}
	}
	return best
}

// within reports whether t falls within the job's times, give or take
// jobTimeSlack.
func (job *Job) within(t time.Time) bool {
	if t.Before(job.CreatedAt.Add(-jobTimeSlack)) {
		return false
	}
	return job.CompletedAt.IsZero() || !t.After(job.CompletedAt.Add(jobTimeSlack))
}

// firstStamp is the timestamp of the first line of a job's log.
func firstStamp(j *JobLog) (time.Time, bool) {
	rc, err := j.Open()
	if err != nil {
		return time.Time{}, false
	}
	defer rc.Close()
	line, _, err := newLineReader(rc).next()
	if err != nil {
		return time.Time{}, false
	}
	t, _ := splitStamp(line)
	return t, !t.IsZero()
}
