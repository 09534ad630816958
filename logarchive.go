package ghactions

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrInvalidArchive is wrapped by the errors for data that is not a readable
// GitHub Actions log archive: not a zip, truncated or corrupt, holding an
// entry name that points outside the archive, declaring sizes its data
// cannot have, or holding entries that share bytes.
var ErrInvalidArchive = errors.New("ghactions: invalid log archive")

const (
	// maxNameUnits is where GitHub cuts job names in archive paths. It counts
	// UTF-16 code units because a .NET service writes the archive.
	maxNameUnits = 90

	// stepMarker starts the line GitHub's runner prints as it begins an
	// action or script step: "##[group]Run actions/checkout@v4".
	stepMarker = "##[group]Run "

	// setupStepName is GitHub's name for the first step of every job, whose
	// log comes before the first step marker.
	setupStepName = "Set up job"

	// maxMarkerSteps and maxStepNameLen bound what a job log split at its
	// markers can cost in memory, whatever the log holds.
	maxMarkerSteps = 10000
	maxStepNameLen = 256

	// maxDeflateRatio is the most that deflate can expand its input.
	maxDeflateRatio = 1032
)

// LogArchive is a GitHub Actions workflow-run log archive, the zip that the
// "download workflow run logs" endpoint serves, read as jobs and steps.
//
// GitHub writes a file per job at the top of the archive, "N_job name.txt",
// and a folder per job, named like the job, with a file per step,
// "N_step name.txt". The job names in these paths lack the characters that a
// Windows file name cannot hold (among them "/" and ":"), which older archives
// drop and newer ones replace with "_", and are cut at 90 UTF-16 code units.
// Entries that fit neither pattern, such as ".DS_Store", "system.txt" or deeper
// paths, are ignored. A folder of step files without a job file named like it
// is a job too (see JobLog.FolderOnly).
//
// A LogArchive is safe for concurrent use.
type LogArchive struct {
	// Jobs holds the archive's jobs in job order, the N of "N_name.txt"
	// (see JobLog.Number for the older log service's files), and in archive
	// order for equal N; then the FolderOnly jobs, which carry no position,
	// by folder name in byte order, so that the listing does not depend on
	// how the zip was written. Jobs that share a name, such as matrix jobs or
	// jobs cut to the same 90-unit prefix, are all kept.
	Jobs []*JobLog

	release   func() error // frees storage the archive owns; nil if none
	closeOnce sync.Once
}

// JobLog is one job of a LogArchive.
type JobLog struct {
	// Number is the N of the job's "N_name.txt" file, its position in the run
	// (0 for a FolderOnly job, which has no such file).
	// Files that GitHub's older log service wrote carry a negative job ID
	// instead; such a job is listed after the numbered ones, and left out when
	// a numbered file has the same name, as GitHub may serve both for one job
	// and the numbered one is current.
	Number int

	// Name is the job name recovered from the file name, so it may lack
	// characters or be cut short (see LogArchive).
	Name string

	// Steps holds the job's steps in step order: from the job's folder, or
	// when the archive has no step files for the job, from its log split at
	// step markers (see StepsFromMarkers). Without either, Steps is empty.
	Steps []*StepLog

	// StepsFromMarkers reports that Steps were derived by splitting the job
	// log, as GitHub leaves step files out of some newer archives. Each
	// "##[group]Run …" line, which the runner prints as an action or script
	// step starts, begins a step named after it ("Run …"), and the text
	// before the first one is step 1, "Set up job". Steps that print no such
	// line (container set-up, post-job cleanup, "Complete job") stay part of
	// the step before them, so later step numbers may differ from GitHub's.
	StepsFromMarkers bool

	// FolderOnly reports that the archive has a folder of step files for the
	// job but no "N_name.txt" job file, as in the archive the GitHub CLI
	// tests its log viewer with. Name is then the folder's, Number is 0 and
	// means nothing, and Open streams the steps' logs one after another.
	FolderOnly bool

	file *zip.File // nil for a FolderOnly job
}

// StepLog is one step of a JobLog.
type StepLog struct {
	// Number is the step's number within its job, from 1.
	Number int

	// Name is the step name recovered from the file name, or for a step
	// split at a marker, the marker's text.
	Name string

	file *zip.File

	// For a step split out of a job log: the bytes of file it covers.
	split     bool
	off, size int64
}

// OpenLogArchive reads a GitHub Actions log archive (a zip) from r, size bytes
// long. It reads the archive's directory and, for jobs without step files,
// scans their logs once for step markers, keeping only offsets. Logs are
// otherwise read from r as they are opened, so r must stay readable while the
// LogArchive is in use.
//
// It returns an error wrapping ErrInvalidArchive for data that is not a zip,
// a truncated or corrupt archive, an entry name that points outside the
// archive ("../x", "/x", `x\y`), sizes the entry's data cannot have, or two
// job or step files whose bytes (local header and data) overlap, as in zips
// that point many entries at one compressed stream to inflate far beyond
// their size.
// An archive with no job files gives a LogArchive without Jobs. A nil r or a
// negative size gives an error wrapping ErrInvalidArgument.
func OpenLogArchive(r io.ReaderAt, size int64) (*LogArchive, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: nil log archive reader", ErrInvalidArgument)
	}
	if size < 0 {
		return nil, fmt.Errorf("%w: negative log archive size %d", ErrInvalidArgument, size)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidArchive, err)
	}

	var jobs []*JobLog
	spans := make([]entrySpan, 0, len(zr.File))
	stepsByFolder := make(map[string][]*StepLog) // in archive order
	for _, f := range zr.File {
		if outsideArchive(f.Name) {
			return nil, fmt.Errorf("%w: entry name %q points outside the archive", ErrInvalidArchive, f.Name)
		}
		path := strings.Split(f.Name, "/")
		if len(path) > 2 {
			continue // deeper than GitHub writes
		}
		n, name, ok := parseLogName(path[len(path)-1])
		if !ok {
			continue
		}
		span, err := checkEntry(f, size)
		if err != nil {
			return nil, err
		}
		spans = append(spans, span)
		if len(path) == 2 {
			stepsByFolder[path[0]] = append(stepsByFolder[path[0]], &StepLog{Number: n, Name: name, file: f})
		} else {
			jobs = append(jobs, &JobLog{Number: n, Name: name, file: f})
		}
	}

	if err := checkOverlap(spans); err != nil {
		return nil, err
	}

	jobs = dropSupersededLegacy(jobs)
	slices.SortStableFunc(jobs, jobOrder)
	jobs = append(jobs, assignSteps(jobs, stepsByFolder)...)
	for _, j := range jobs {
		if len(j.Steps) > 0 {
			slices.SortStableFunc(j.Steps, func(a, b *StepLog) int { return cmp.Compare(a.Number, b.Number) })
			continue
		}
		if j.Steps, err = splitAtMarkers(j.file); err != nil {
			return nil, err
		}
		j.StepsFromMarkers = len(j.Steps) > 0
	}
	return &LogArchive{Jobs: jobs}, nil
}

// openLogArchiveFrom copies rc (closing it) into a temporary file, opens it as
// a LogArchive whose Close removes the file. It removes the file on every
// error path too, and fails with ErrLogArchiveTooLarge once rc gives more
// than limit bytes.
func openLogArchiveFrom(rc io.ReadCloser, limit int64) (*LogArchive, error) {
	f, err := os.CreateTemp("", "ghactions-logs-*.zip")
	if err != nil {
		return nil, errors.Join(fmt.Errorf("ghactions: store log archive: %w", err), rc.Close())
	}
	discard := func() error { return errors.Join(f.Close(), os.Remove(f.Name())) }

	// One byte past the limit tells an archive over it from one that fills it.
	size, err := io.Copy(f, io.LimitReader(rc, min(limit, math.MaxInt64-1)+1))
	if closeErr := rc.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("ghactions: store log archive: %w", err), discard())
	}
	if size > limit {
		return nil, errors.Join(tooLarge(limit), discard())
	}
	a, err := OpenLogArchive(f, size)
	if err != nil {
		return nil, errors.Join(err, discard())
	}
	a.release = discard
	return a, nil
}

// Job returns the first job, in job order, named name, or nil if there is
// none. name may also be the job's real name: when no job is named exactly
// that, Job looks for the names GitHub writes it under in archive paths.
// A nil archive has no jobs. For a Job of the jobs API, JobFor also tells
// apart jobs that the archive names alike.
func (a *LogArchive) Job(name string) *JobLog {
	if a == nil {
		return nil
	}
	for _, want := range []string{name, archiveName(name, -1), archiveName(name, '_')} {
		for _, j := range a.Jobs {
			if j.Name == want {
				return j
			}
		}
	}
	return nil
}

// Close releases what the archive holds. For an archive that the package
// downloaded to a temporary file, it closes and removes the file, after which
// logs can no longer be read, and returns any error in doing so; for one from
// OpenLogArchive it does nothing, as the reader stays the caller's. Calls
// after the first, and on a nil archive, return nil.
func (a *LogArchive) Close() error {
	if a == nil {
		return nil
	}
	var err error
	a.closeOnce.Do(func() {
		if a.release != nil {
			err = a.release()
		}
	})
	return err
}

// Open streams the job's full log, without the byte-order mark the runner
// writes first; for a FolderOnly job, its steps' logs in step order, each
// without its byte-order mark. The caller must close it. It returns an
// error if the log cannot be read, wrapping ErrInvalidArchive if its entry is
// corrupt; reads from the stream fail the same way. A nil JobLog, or one that
// does not come from a LogArchive, gives an error wrapping ErrInvalidArgument.
func (j *JobLog) Open() (io.ReadCloser, error) {
	if j != nil && j.file == nil && j.FolderOnly && len(j.Steps) > 0 {
		return openSteps(j.Steps)
	}
	if j == nil || j.file == nil {
		return nil, fmt.Errorf("%w: job log not from a LogArchive", ErrInvalidArgument)
	}
	rc, err := openEntry(j.file)
	if err != nil {
		return nil, err
	}
	return withoutBOM(rc), nil
}

// Step returns the job's step numbered number, or nil if there is none or j
// is nil.
func (j *JobLog) Step(number int) *StepLog {
	if j == nil {
		return nil
	}
	for _, s := range j.Steps {
		if s.Number == number {
			return s
		}
	}
	return nil
}

// Open streams the step's log, without a leading byte-order mark; the
// caller must close it. It returns an error
// if the log cannot be read, wrapping ErrInvalidArchive if its entry is
// corrupt; reads from the stream fail the same way. A nil StepLog, or one that
// does not come from a LogArchive, gives an error wrapping ErrInvalidArgument.
//
// A step split out of a job log is read by decompressing the job log afresh
// and skipping to the step, which takes time in proportion to where the step
// starts but no memory beyond a fixed buffer.
func (s *StepLog) Open() (io.ReadCloser, error) {
	if s == nil || s.file == nil {
		return nil, fmt.Errorf("%w: step log not from a LogArchive", ErrInvalidArgument)
	}
	rc, err := openEntry(s.file)
	if err != nil {
		return nil, err
	}
	if !s.split {
		return withoutBOM(rc), nil
	}
	if _, err := io.CopyN(io.Discard, rc, s.off); err != nil {
		if err == io.EOF {
			err = entryError(s.file.Name, io.ErrUnexpectedEOF)
		}
		return nil, errors.Join(err, rc.Close())
	}
	step := readCloser{io.LimitReader(rc, s.size), rc}
	if s.off == 0 {
		return withoutBOM(step), nil
	}
	return step, nil
}

// parseLogName splits an entry's file name, "N_name.txt", into N and name.
func parseLogName(file string) (int, string, bool) {
	stem, ok := strings.CutSuffix(file, ".txt")
	if !ok {
		return 0, "", false
	}
	num, name, ok := strings.Cut(stem, "_")
	if !ok || num == "" || num[0] == '+' || name == "" {
		return 0, "", false
	}
	n, err := strconv.Atoi(num)
	return n, name, err == nil
}

// outsideArchive reports whether an entry named name would be extracted
// outside the folder the archive is extracted to, which GitHub never writes.
func outsideArchive(name string) bool {
	if strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || (len(name) > 1 && name[1] == ':') {
		return true
	}
	return slices.Contains(strings.Split(name, "/"), "..")
}

// checkEntry rejects an entry whose data cannot be where and what its header
// says, so that it fails when the archive is opened rather than part-way
// through a read: the zip reader itself only notices when the data runs out.
// It returns the entry's span, for checkOverlap.
func checkEntry(f *zip.File, archiveSize int64) (entrySpan, error) {
	start, err := f.DataOffset()
	if err != nil {
		// Reading r where the directory points failed: the offset is wrong.
		return entrySpan{}, fmt.Errorf("%w: %s: %w", ErrInvalidArchive, f.Name, err)
	}
	packed, unpacked := f.CompressedSize64, f.UncompressedSize64
	fits := start >= 0 && start <= archiveSize && packed <= uint64(archiveSize-start)
	switch f.Method {
	case zip.Store:
		fits = fits && unpacked == packed
	case zip.Deflate:
		fits = fits && unpacked/maxDeflateRatio <= packed+1
	default:
		return entrySpan{}, fmt.Errorf("%w: %s: unsupported compression method %d", ErrInvalidArchive, f.Name, f.Method)
	}
	if !fits {
		return entrySpan{}, fmt.Errorf("%w: %s: declared sizes (%d compressed, %d uncompressed) do not fit its data",
			ErrInvalidArchive, f.Name, packed, unpacked)
	}
	return entrySpan{name: f.Name, start: start, end: start + max(int64(packed), 1)}, nil
}

// dropSupersededLegacy removes the files of GitHub's older log service,
// numbered with a negative job ID, that stand beside a numbered file for the
// same job name: GitHub may serve both, and the numbered one is current.
func dropSupersededLegacy(jobs []*JobLog) []*JobLog {
	numbered := make(map[string]bool)
	for _, j := range jobs {
		if j.Number >= 0 {
			numbered[j.Name] = true
		}
	}
	return slices.DeleteFunc(jobs, func(j *JobLog) bool { return j.Number < 0 && numbered[j.Name] })
}

// jobOrder orders jobs by Number, putting the negative numbers of the older
// log service, which are job IDs rather than positions, last.
func jobOrder(a, b *JobLog) int {
	if legacyA, legacyB := a.Number < 0, b.Number < 0; legacyA != legacyB {
		if legacyA {
			return 1
		}
		return -1
	}
	return cmp.Compare(a.Number, b.Number)
}

// assignSteps gives each job the step files from the folder named like it.
// Jobs that share a name share a folder, where each step number then appears
// once per job: its k-th occurrence, in archive order, goes to the k-th job.
// Occurrences beyond the jobs of that name, as in a folder without a job
// file, make FolderOnly jobs, which it returns in folder-name order.
func assignSteps(jobs []*JobLog, stepsByFolder map[string][]*StepLog) []*JobLog {
	jobsByName := make(map[string][]*JobLog)
	for _, j := range jobs {
		jobsByName[j.Name] = append(jobsByName[j.Name], j)
	}
	var folderOnly []*JobLog
	for folder, steps := range stepsByFolder {
		sameName := jobsByName[folder]
		seen := make(map[int]int)
		for _, s := range steps {
			k := seen[s.Number]
			seen[s.Number]++
			if k == len(sameName) {
				j := &JobLog{Name: folder, FolderOnly: true}
				sameName = append(sameName, j)
				folderOnly = append(folderOnly, j)
			}
			sameName[k].Steps = append(sameName[k].Steps, s)
		}
	}
	// Stable, so that a folder's jobs keep their order.
	slices.SortStableFunc(folderOnly, func(a, b *JobLog) int { return strings.Compare(a.Name, b.Name) })
	return folderOnly
}

// splitAtMarkers scans the job log in f once and returns its steps as
// delimited by step markers, or nil if it has no markers. Memory stays
// bounded: lines go through a fixed buffer, names and the number of steps
// are capped, and only offsets are kept.
func splitAtMarkers(f *zip.File) ([]*StepLog, error) {
	rc, err := openEntry(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()

	steps := []*StepLog{{Number: 1, Name: setupStepName, file: f, split: true}}
	br := bufio.NewReader(rc)
	var off int64
	atLineStart := true
	for {
		line, err := br.ReadSlice('\n')
		if atLineStart && len(steps) < maxMarkerSteps {
			if name, ok := markerName(line, off == 0); ok {
				steps = append(steps, &StepLog{Number: len(steps) + 1, Name: name, file: f, split: true, off: off})
			}
		}
		off += int64(len(line))
		// A line longer than the buffer arrives in pieces; only the first
		// piece can hold a marker.
		atLineStart = err == nil
		if err == io.EOF {
			break
		}
		if err != nil && err != bufio.ErrBufferFull {
			return nil, err
		}
	}
	if len(steps) == 1 {
		return nil, nil
	}
	for i, s := range steps {
		end := off
		if i+1 < len(steps) {
			end = steps[i+1].off
		}
		s.size = end - s.off
	}
	return steps, nil
}

// markerName returns the step name that a step marker line announces. GitHub
// starts each line with a timestamp, and a file with a byte order mark.
func markerName(line []byte, first bool) (string, bool) {
	if first {
		line = bytes.TrimPrefix(line, utf8BOM)
	}
	i := bytes.Index(line, []byte(stepMarker))
	if i < 0 || i > 0 && (line[i-1] != ' ' || !isTimestamp(line[:i-1])) {
		return "", false
	}
	name := bytes.TrimRight(line[i+len("##[group]"):], "\r\n")
	if len(name) > maxStepNameLen {
		cut := maxStepNameLen
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut]
	}
	return string(name), true
}

func isTimestamp(b []byte) bool {
	_, err := time.Parse(time.RFC3339Nano, string(b))
	return err == nil
}

// archiveName is the name GitHub gives a job called name in archive paths:
// each character a Windows file name cannot hold mapped to replacement, or
// dropped if it is negative; then cut at 90 UTF-16 code units and trimmed of
// surrounding space, as .NET's Substring and Trim do.
func archiveName(name string, replacement rune) string {
	name = strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`"*/:<>?\|`, r) {
			return replacement
		}
		return r
	}, name)
	return strings.TrimSpace(cutUTF16(name, maxNameUnits))
}

// cutUTF16 returns the longest prefix of s that fits in max UTF-16 code units.
// Where the cut splits a surrogate pair, .NET keeps the pair's first half,
// which becomes U+FFFD once the name is encoded as UTF-8; so does cutUTF16.
func cutUTF16(s string, max int) string {
	units := 0
	for i, r := range s {
		n := utf16.RuneLen(r)
		if units+n > max {
			if units < max {
				return s[:i] + string(utf8.RuneError)
			}
			return s[:i]
		}
		units += n
	}
	return s
}

// utf8BOM is the byte-order mark the runner writes at the start of every log
// file: an artefact of how it writes files, not part of the log, so Open
// leaves it out.
var utf8BOM = []byte("\uFEFF")

func withoutBOM(rc io.ReadCloser) io.ReadCloser {
	br := bufio.NewReaderSize(rc, 16)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	return readCloser{br, rc}
}

type readCloser struct {
	io.Reader
	io.Closer
}

// openEntry opens f for streaming, making its read errors say what failed.
func openEntry(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, entryError(f.Name, err)
	}
	return &entryReader{ReadCloser: rc, name: f.Name}, nil
}

type entryReader struct {
	io.ReadCloser
	name string
}

func (r *entryReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = entryError(r.name, err)
	}
	return n, err
}

// entryError describes a failure to read the entry called name, wrapping
// ErrInvalidArchive when the entry's data is at fault rather than the reader
// it comes from. An EOF reaches it only when the entry's data ends too soon.
func entryError(name string, err error) error {
	var corrupt flate.CorruptInputError
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) || errors.As(err, &corrupt) {
		return fmt.Errorf("%w: %s: %w", ErrInvalidArchive, name, err)
	}
	return fmt.Errorf("ghactions: read %s from log archive: %w", name, err)
}
