package ghactions_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/seed42f0b14b/ghactions"
)

// Do reaches the endpoints this package does not wrap, here the artifacts of
// a repository, through the same pipeline: base URL, token, retries, rate
// limits and errors.
func ExampleClient_Do() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/api/v3/repos/octo-org/octo-repo/actions/artifacts":
			fmt.Fprint(w, `{"total_count": 2, "artifacts": [
				{"id": 11, "name": "build-output", "size_in_bytes": 4096},
				{"id": 12, "name": "coverage", "size_in_bytes": 512}]}`)
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message": "Not Found"}`)
		}
	}))
	defer api.Close()

	c, err := ghactions.NewClient(ghactions.WithBaseURL(api.URL), ghactions.WithToken("ghp_example"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	var list struct {
		TotalCount int `json:"total_count"`
		Artifacts  []struct {
			ID          int64  `json:"id"`
			Name        string `json:"name"`
			SizeInBytes int64  `json:"size_in_bytes"`
		} `json:"artifacts"`
	}
	if _, err := c.Do(ctx, http.MethodGet, "repos/octo-org/octo-repo/actions/artifacts?per_page=100", nil, &list); err != nil {
		log.Fatal(err)
	}
	for _, a := range list.Artifacts {
		fmt.Printf("%d %s (%d bytes)\n", a.ID, a.Name, a.SizeInBytes)
	}

	resp, err := c.Do(ctx, http.MethodDelete, "repos/octo-org/octo-repo/actions/artifacts/12", nil, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("delete:", resp.StatusCode)

	_, err = c.Do(ctx, http.MethodGet, "repos/octo-org/octo-repo/actions/artifacts/99", nil, nil)
	fmt.Println(errors.Is(err, ghactions.ErrNotFound))
	// Output:
	// 11 build-output (4096 bytes)
	// 12 coverage (512 bytes)
	// delete: 204
	// true
}
