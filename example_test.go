package ghactions_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/seed42f0b14b/ghactions"
)

// fakeGitHub starts a stand-in for the GitHub API, so that the examples run
// offline. Given to WithBaseURL without a path, its URL is treated like a
// GitHub Enterprise Server host: the API lives under /api/v3/.
func fakeGitHub() *httptest.Server {
	const repo = "/api/v3/repos/octo-org/octo-repo/actions"
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+repo+"/runs", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "" {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?page=2&per_page=100>; rel="next"`, r.Host, r.URL.Path))
			fmt.Fprint(w, `{"total_count": 3, "workflow_runs": [
				{"id": 101, "name": "Build", "status": "completed", "conclusion": "success"},
				{"id": 102, "name": "Test", "status": "completed", "conclusion": "failure"}]}`)
			return
		}
		fmt.Fprint(w, `{"total_count": 3, "workflow_runs": [
			{"id": 103, "name": "Deploy", "status": "in_progress", "conclusion": null}]}`)
	})
	mux.HandleFunc("GET "+repo+"/runs/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"id": %s, "name": "Build", "run_attempt": 2, "status": "completed", "conclusion": "success",
			"head_branch": "main", "html_url": "https://github.com/octo-org/octo-repo/actions/runs/%[1]s"}`, r.PathValue("id"))
	})
	mux.HandleFunc("POST "+repo+"/runs/{id}/cancel", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "101" {
			w.WriteHeader(http.StatusConflict)
			fmt.Fprint(w, `{"message": "Cannot cancel a workflow run that is completed."}`)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprint(w, `{}`)
	})
	mux.HandleFunc("GET "+repo+"/runs/{id}/logs", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/storage/logs.zip?sig=expires-in-a-minute", http.StatusFound)
	})
	mux.HandleFunc("GET /storage/logs.zip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/zip")
		fmt.Fprint(w, "PK\x03\x04 pretend this is a zip of the run's logs")
	})
	return httptest.NewServer(mux)
}

func ExampleNewClient() {
	api := fakeGitHub()
	defer api.Close()

	// For github.com, WithToken alone is enough. A GitHub Enterprise Server
	// host without a path means its REST API root, /api/v3/.
	c, err := ghactions.NewClient(
		ghactions.WithToken("ghp_example"), // os.Getenv("GITHUB_TOKEN") in real life
		ghactions.WithBaseURL(api.URL),
		ghactions.WithUserAgent("release-bot/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.BaseURL().Path)

	run, _, err := c.Runs.Get(context.Background(), "octo-org", "octo-repo", 101, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(run.Name, run.Status, run.Conclusion)

	ghes, err := ghactions.NewClient(ghactions.WithBaseURL("https://ghe.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ghes.BaseURL())
	// Output:
	// /api/v3/
	// Build completed success
	// https://ghe.example.com/api/v3/
}

func ExampleRunsService_List() {
	api := fakeGitHub()
	defer api.Close()
	c, err := ghactions.NewClient(ghactions.WithBaseURL(api.URL))
	if err != nil {
		log.Fatal(err)
	}

	// List follows the pages for you; break out of the loop to stop early.
	opts := &ghactions.ListOptions{Branch: "main", Event: "push"}
	for run, err := range c.Runs.List(context.Background(), "octo-org", "octo-repo", opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(run.ID, run.Name, run.Status, run.Conclusion)
	}
	// Output:
	// 101 Build completed success
	// 102 Test completed failure
	// 103 Deploy in_progress
}

func ExampleRunsService_Get() {
	api := fakeGitHub()
	defer api.Close()
	c, err := ghactions.NewClient(ghactions.WithBaseURL(api.URL))
	if err != nil {
		log.Fatal(err)
	}

	run, resp, err := c.Runs.Get(context.Background(), "octo-org", "octo-repo", 102, nil)
	switch {
	case errors.Is(err, ghactions.ErrNotFound):
		fmt.Println("no such run, or the token may not see it")
		return
	case err != nil:
		log.Fatal(err)
	}
	fmt.Printf("run %d, attempt %d on %s: %s\n", run.ID, run.RunAttempt, run.HeadBranch, run.Conclusion)
	fmt.Println(run.HTMLURL)
	fmt.Println(resp.StatusCode)
	// Output:
	// run 102, attempt 2 on main: success
	// https://github.com/octo-org/octo-repo/actions/runs/102
	// 200
}

func ExampleRunsService_Cancel() {
	api := fakeGitHub()
	defer api.Close()
	// Writes are a second apart by default, as GitHub advises; this
	// example's server is in the process, and needs no such care.
	c, err := ghactions.NewClient(ghactions.WithBaseURL(api.URL), ghactions.WithWritePacing(0))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// GitHub answers 202 Accepted: the run stops shortly after.
	resp, err := c.Runs.Cancel(ctx, "octo-org", "octo-repo", 103)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("cancelling run 103:", resp.StatusCode)

	// A run that has already completed cannot be cancelled.
	_, err = c.Runs.Cancel(ctx, "octo-org", "octo-repo", 101)
	var apiErr *ghactions.APIError
	if errors.Is(err, ghactions.ErrConflict) && errors.As(err, &apiErr) {
		fmt.Println("run 101:", apiErr.Message)
	}
	// Output:
	// cancelling run 103: 202
	// run 101: Cannot cancel a workflow run that is completed.
}

func ExampleRunsService_Logs() {
	api := fakeGitHub()
	defer api.Close()
	c, err := ghactions.NewClient(ghactions.WithBaseURL(api.URL))
	if err != nil {
		log.Fatal(err)
	}

	// The archive is streamed from the storage host GitHub redirects to (the
	// token is not sent there): copy it where it belongs, and close it.
	logs, _, err := c.Runs.Logs(context.Background(), "octo-org", "octo-repo", 101)
	if err != nil {
		log.Fatal(err)
	}
	defer logs.Close()

	f, err := os.CreateTemp("", "run-101-logs-*.zip")
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := io.Copy(f, logs)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("saved", n, "bytes")
	// Output:
	// saved 44 bytes
}
