package ghactions_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// benchLog is a job log of about 10 MB: a set-up step, a test step of
// 100,000 lines, and a last step.
func benchLog() ([]byte, *ghactions.Job) {
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	stamp := func(d time.Duration) string { return t0.Add(d).Format("2006-01-02T15:04:05.0000000Z") }
	fmt.Fprintf(&b, "\uFEFF%s Current runner version: '2.321.0'\n%s ##[group]Run go test ./...\n", stamp(0), stamp(time.Second))
	for i := range 100_000 {
		fmt.Fprintf(&b, "%s ok  \tgithub.com/octo-org/octo-repo/pkg%d\t0.%03ds\n", stamp(2*time.Second+time.Duration(i)*time.Millisecond), i, i%1000)
	}
	fmt.Fprintf(&b, "%s Cleaning up orphan processes\n", stamp(10*time.Minute))
	job := &ghactions.Job{Steps: []ghactions.Step{
		{Number: 1, StartedAt: t0, CompletedAt: t0.Add(time.Second)},
		{Number: 2, StartedAt: t0.Add(time.Second), CompletedAt: t0.Add(5 * time.Minute)},
		{Number: 3, StartedAt: t0.Add(10 * time.Minute), CompletedAt: t0.Add(10 * time.Minute)},
	}}
	return b.Bytes(), job
}

func BenchmarkLogLines(b *testing.B) {
	log, _ := benchLog()
	b.SetBytes(int64(len(log)))
	b.ReportAllocs()
	for b.Loop() {
		for _, err := range ghactions.LogLines(bytes.NewReader(log)) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkLogTail20(b *testing.B) {
	log, _ := benchLog()
	b.SetBytes(int64(len(log)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ghactions.LogTail(bytes.NewReader(log), 20); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStepLogReader(b *testing.B) {
	log, job := benchLog()
	b.SetBytes(int64(len(log)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := ghactions.StepLogReader(bytes.NewReader(log), job, 2)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
