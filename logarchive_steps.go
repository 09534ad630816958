package ghactions

import (
	"io"
	"os"
)

// openSteps streams the logs of steps one after another, opening each as the
// one before it ends, so that only one is open at a time. It opens the first
// at once, so that a log that cannot be read fails Open rather than Read.
func openSteps(steps []*StepLog) (io.ReadCloser, error) {
	rc, err := steps[0].Open()
	if err != nil {
		return nil, err
	}
	return &stepsReader{cur: rc, next: steps[1:]}, nil
}

type stepsReader struct {
	cur  io.ReadCloser // the step being read; nil between steps
	next []*StepLog
	err  error // what ended the stream: io.EOF at its end
}

func (r *stepsReader) Read(p []byte) (int, error) {
	for r.err == nil {
		if r.cur == nil {
			if len(r.next) == 0 {
				r.err = io.EOF
				break
			}
			r.cur, r.err = r.next[0].Open()
			r.next = r.next[1:]
			continue
		}
		n, err := r.cur.Read(p)
		if err == io.EOF {
			err = r.cur.Close()
			r.cur = nil
		}
		r.err = err
		if n > 0 || err != nil || r.cur != nil {
			// A step that gives nothing, not even an EOF, is the caller's to
			// read again, not a loop's to spin on.
			return n, err
		}
	}
	return 0, r.err
}

func (r *stepsReader) Close() error {
	var err error
	if r.cur != nil {
		err = r.cur.Close()
	}
	r.cur, r.next, r.err = nil, nil, os.ErrClosed
	return err
}
