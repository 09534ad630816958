package ghactions_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/seed42f0b14b/ghactions"
)

func ExampleOpenLogArchive() {
	// An archive as GitHub serves it for a run with one job, "build / linux",
	// whose name loses its "/" in the archive's paths.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range []struct{ name, log string }{
		{"0_build  linux.txt", "Set up\nmake: Nothing to be done for 'all'.\n"},
		{"build  linux/1_Set up job.txt", "Set up\n"},
		{"build  linux/2_Run make.txt", "make: Nothing to be done for 'all'.\n"},
	} {
		w, err := zw.Create(f.name)
		if err != nil {
			log.Fatal(err)
		}
		if _, err := io.WriteString(w, f.log); err != nil {
			log.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}

	a, err := ghactions.OpenLogArchive(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()

	step := a.Job("build / linux").Step(2)
	rc, err := step.Open()
	if err != nil {
		log.Fatal(err)
	}
	defer rc.Close()
	fmt.Printf("%s:\n", step.Name)
	if _, err := io.Copy(os.Stdout, rc); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Run make:
	// make: Nothing to be done for 'all'.
}

func ExampleWithMaxLogArchiveSize() {
	c, err := ghactions.NewClient(
		ghactions.WithToken(os.Getenv("GITHUB_TOKEN")),
		ghactions.WithMaxLogArchiveSize(256<<20), // 256 MiB on disk at most
	)
	if err != nil {
		log.Fatal(err)
	}
	a, err := c.Runs.DownloadLogArchive(context.Background(), "octo-org", "octo-repo", 42)
	if errors.Is(err, ghactions.ErrLogArchiveTooLarge) {
		log.Fatal("the run's logs are over 256 MiB; stream them with Logs instead")
	}
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	for _, j := range a.Jobs {
		fmt.Println(j.Name, len(j.Steps))
	}
}
