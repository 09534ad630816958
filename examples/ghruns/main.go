// Command ghruns lists, inspects, starts, cancels, re-runs, prunes and reads
// the logs of GitHub Actions workflow runs. It is an example of the
// ghactions library wrapped as a command-line tool.
//
// Usage:
//
//	ghruns <command> [flags] [arguments]
//
// The repository comes from -R OWNER/REPO or $GITHUB_REPOSITORY, the token
// from $GITHUB_TOKEN or $GH_TOKEN, and the API's base URL from
// $GITHUB_API_URL (GitHub Enterprise Server, GHE.com). With no token, ghruns
// runs in demo mode: it starts a fake GitHub in-process (package
// ghactionstest) with a demo repository, and works offline.
//
// Exit status: 0 on success, 1 when the API or the network fails, 2 on bad
// usage.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
