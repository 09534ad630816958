package ghactions

import (
	"fmt"
	"strconv"
)

// Checks made before any request, so that bad input fails fast and clearly
// instead of reaching the API as a path it would answer 404 to.

const (
	maxOwnerLen = 39  // GitHub's limit for user and organization logins
	maxRepoLen  = 100 // GitHub's limit for repository names
)

func validateRepo(owner, repo string) error {
	if owner == "" {
		return fmt.Errorf("%w: empty owner", ErrInvalidArgument)
	}
	if len(owner) > maxOwnerLen {
		return fmt.Errorf("%w: owner %q is longer than %d characters", ErrInvalidArgument, owner, maxOwnerLen)
	}
	for i := 0; i < len(owner); i++ {
		if c := owner[i]; !isAlnum(c) && c != '-' {
			return fmt.Errorf("%w: owner %q: only letters, digits and hyphens are allowed", ErrInvalidArgument, owner)
		}
	}
	if repo == "" {
		return fmt.Errorf("%w: empty repo", ErrInvalidArgument)
	}
	if len(repo) > maxRepoLen {
		return fmt.Errorf("%w: repo %q is longer than %d characters", ErrInvalidArgument, repo, maxRepoLen)
	}
	if repo == "." || repo == ".." {
		return fmt.Errorf("%w: repo %q is not a repository name", ErrInvalidArgument, repo)
	}
	for i := 0; i < len(repo); i++ {
		if c := repo[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return fmt.Errorf("%w: repo %q: only letters, digits, '.', '-' and '_' are allowed", ErrInvalidArgument, repo)
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func validateRun(owner, repo string, runID int64) error {
	if err := validateRepo(owner, repo); err != nil {
		return err
	}
	if runID <= 0 {
		return fmt.Errorf("%w: run ID %d: must be positive", ErrInvalidArgument, runID)
	}
	return nil
}

func validateAttempt(owner, repo string, runID int64, attempt int) error {
	if err := validateRun(owner, repo, runID); err != nil {
		return err
	}
	if attempt < 1 {
		return fmt.Errorf("%w: attempt %d: attempts count from 1", ErrInvalidArgument, attempt)
	}
	return nil
}

func validateJob(owner, repo string, jobID int64) error {
	if err := validateRepo(owner, repo); err != nil {
		return err
	}
	if jobID <= 0 {
		return fmt.Errorf("%w: job ID %d: must be positive", ErrInvalidArgument, jobID)
	}
	return nil
}

// Paths are built from checked owner and repo names, which need no escaping.

func repoPath(owner, repo string) string {
	return "repos/" + owner + "/" + repo + "/actions/"
}

func runPath(owner, repo string, runID int64) string {
	return repoPath(owner, repo) + "runs/" + strconv.FormatInt(runID, 10)
}

func attemptPath(owner, repo string, runID int64, attempt int) string {
	return runPath(owner, repo, runID) + "/attempts/" + strconv.Itoa(attempt)
}

func jobPath(owner, repo string, jobID int64) string {
	return repoPath(owner, repo) + "jobs/" + strconv.FormatInt(jobID, 10)
}
