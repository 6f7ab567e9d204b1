package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// gatedLoader is a LoadFunc that reports progress and then waits for the
// test to open its gate (or for its context to end).
type gatedLoader struct {
	gate      chan struct{}
	started   chan string // the name of each upload as its load starts
	cancelled atomic.Bool
	ctx       atomic.Pointer[context.Context] // the last load's context
}

func newGatedLoader() *gatedLoader {
	return &gatedLoader{gate: make(chan struct{}), started: make(chan string, 16)}
}

func (g *gatedLoader) load(ctx context.Context, up Upload) (LoadReport, error) {
	g.ctx.Store(&ctx)
	g.started <- up.Name
	up.Progress(3, 10)
	select {
	case <-g.gate:
	case <-ctx.Done():
		g.cancelled.Store(true)
		return LoadReport{File: up.Name}, ctx.Err()
	}
	if _, err := os.Stat(up.Path); err != nil {
		return LoadReport{}, err
	}
	return LoadReport{Source: "registry/" + up.Name, File: up.Name, Rows: 1, Loaded: 1}, nil
}

func getJob(t *testing.T, h http.Handler, path, token string) (int, JobResponse) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var j JobResponse
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil {
			t.Fatalf("%s: %v %s", path, err, rec.Body)
		}
	}
	return rec.Code, j
}

func postUpload(t *testing.T, s *Server, name string) (*httptest.ResponseRecorder, JobResponse) {
	t.Helper()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, uploadRequest(t, "/api/v1/sources", map[string]string{"kind": "registry"}, name, "企业名称\n甲\n"))
	var j JobResponse
	if rec.Code == http.StatusAccepted {
		if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil {
			t.Fatal(err)
		}
	}
	return rec, j
}

func waitState(t *testing.T, s *Server, loc, state string) JobResponse {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, j := getJob(t, s.Handler(), loc, writerToken)
		if code == http.StatusOK && j.State == state {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d, state %q, want %q", loc, code, j.State, state)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestUploadJob follows an upload from 202 through queued and running, with
// its progress, to done with its report; a second upload waits its turn.
func TestUploadJob(t *testing.T) {
	g := newGatedLoader()
	s := uploadServer(t, Config{Load: g.load})
	rec, j := postUpload(t, s, "a.csv")
	if rec.Code != http.StatusAccepted || j.ID == "" || rec.Header().Get("Location") != "/api/v1/jobs/"+j.ID {
		t.Fatalf("upload: %d %s, Location %q", rec.Code, rec.Body, rec.Header().Get("Location"))
	}
	if j.Kind != "registry" || j.File != "a.csv" || (j.State != JobQueued && j.State != JobRunning) {
		t.Errorf("new job = %+v", j)
	}
	<-g.started
	loc := "/api/v1/jobs/" + j.ID
	running := waitState(t, s, loc, JobRunning)
	if running.Progress.Done != 3 || running.Progress.Total != 10 || running.Progress.Unit != "bytes" || running.Started == nil {
		t.Errorf("running job = %+v", running)
	}
	_, second := postUpload(t, s, "b.csv")
	if code, q := getJob(t, s.Handler(), "/api/v1/jobs/"+second.ID, writerToken); code != http.StatusOK || q.State != JobQueued {
		t.Errorf("second job while the first runs: %d %+v", code, q)
	}
	close(g.gate)
	done := waitState(t, s, loc, JobDone)
	if done.Status != http.StatusCreated || done.Report == nil || done.Report.Loaded != 1 || done.Finished == nil || done.Progress.Done != done.Progress.Total {
		t.Errorf("finished job = %+v", done)
	}
	waitState(t, s, "/api/v1/jobs/"+second.ID, JobDone)
	if entries, _ := os.ReadDir(s.cfg.UploadDir); len(entries) != 0 {
		t.Errorf("spooled uploads left after their jobs: %v", entries)
	}

	// The list, newest first; a reader may not see jobs; an unknown id is 404.
	req := httptest.NewRequest("GET", "/api/v1/jobs", nil)
	req.Header.Set("Authorization", "Bearer "+writerToken)
	lrec := httptest.NewRecorder()
	s.Handler().ServeHTTP(lrec, req)
	var list JobsResponse
	if err := json.Unmarshal(lrec.Body.Bytes(), &list); err != nil || len(list.Jobs) != 2 || list.Jobs[0].ID != second.ID {
		t.Errorf("job list: %d %s", lrec.Code, lrec.Body)
	}
	if code, _ := getJob(t, s.Handler(), loc, "r-token-1234567890"); code != http.StatusForbidden {
		t.Errorf("a reader reading a job: %d, want 403", code)
	}
	if code, _ := getJob(t, s.Handler(), "/api/v1/jobs/0123456789abcdef01234567", writerToken); code != http.StatusNotFound {
		t.Errorf("unknown job: %d", code)
	}
}

// TestUploadJobOutlivesRequestTimeout: a load longer than the request time
// limit goes on after the request has been answered, and wait=true gives
// back the job when the time runs out.
func TestUploadJobOutlivesRequestTimeout(t *testing.T) {
	g := newGatedLoader()
	s := uploadServer(t, Config{Load: g.load, Timeout: 100 * time.Millisecond})
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, uploadRequest(t, "/api/v1/sources?wait=true", map[string]string{"kind": "registry"}, "slow.csv", "x"))
	var j JobResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil || rec.Code != http.StatusAccepted || j.ID == "" {
		t.Fatalf("wait=true past the time limit: %d %s", rec.Code, rec.Body)
	}
	// The request has been answered, so its context is done: the load's
	// must not be (a state, not a wait).
	<-g.started
	if err := (*g.ctx.Load()).Err(); err != nil || g.cancelled.Load() {
		t.Fatalf("the load was cancelled with its request: %v", err)
	}
	close(g.gate)
	if done := waitState(t, s, "/api/v1/jobs/"+j.ID, JobDone); done.Status != http.StatusCreated {
		t.Errorf("job = %+v", done)
	}
}

// TestJobHistoryBounded keeps only the last finished jobs.
func TestJobHistoryBounded(t *testing.T) {
	load := func(_ context.Context, up Upload) (LoadReport, error) { return LoadReport{File: up.Name}, nil }
	s := uploadServer(t, Config{Load: load, JobHistory: 2})
	var ids []string
	for _, name := range []string{"1.csv", "2.csv", "3.csv"} {
		rec := upload(t, s.Handler(), map[string]string{"kind": "registry"}, name, "x")
		if rec.Code != http.StatusCreated {
			t.Fatalf("%s: %d %s", name, rec.Code, rec.Body)
		}
		ids = append(ids, strings.TrimPrefix(rec.Header().Get("Location"), "/api/v1/jobs/"))
	}
	for i, id := range ids {
		code, _ := getJob(t, s.Handler(), "/api/v1/jobs/"+id, writerToken)
		if want := map[bool]int{true: 404, false: 200}[i == 0]; code != want {
			t.Errorf("job %d: %d, want %d", i+1, code, want)
		}
	}
}

// TestUploadQueueFull refuses an upload when the queue is full, before
// reading its body.
func TestUploadQueueFull(t *testing.T) {
	g := newGatedLoader()
	s := uploadServer(t, Config{Load: g.load, MaxQueuedUploads: 1})
	defer close(g.gate)
	if rec, _ := postUpload(t, s, "running.csv"); rec.Code != http.StatusAccepted {
		t.Fatalf("first: %d", rec.Code)
	}
	<-g.started
	if rec, _ := postUpload(t, s, "queued.csv"); rec.Code != http.StatusAccepted {
		t.Fatalf("second: %d", rec.Code)
	}
	rec, _ := postUpload(t, s, "refused.csv")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("third upload with a full queue: %d %s", rec.Code, rec.Body)
	}
	if entries, _ := os.ReadDir(s.cfg.UploadDir); len(entries) != 2 {
		t.Errorf("%d spooled uploads, want the 2 accepted", len(entries))
	}
}

// TestShutdownCancelsJobs: a shutdown waits for the running load until its
// grace ends, then cancels it; queued jobs fail as not loaded, and new
// uploads are refused.
func TestShutdownCancelsJobs(t *testing.T) {
	g := newGatedLoader()
	s := uploadServer(t, Config{Load: g.load})
	_, running := postUpload(t, s, "running.csv")
	<-g.started
	_, queued := postUpload(t, s, "queued.csv")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown = %v, want the grace's deadline", err)
	}
	if !g.cancelled.Load() {
		t.Error("the running load was not cancelled")
	}
	for _, id := range []string{running.ID, queued.ID} {
		code, j := getJob(t, s.Handler(), "/api/v1/jobs/"+id, writerToken)
		if code != http.StatusOK || j.State != JobFailed || j.Status != http.StatusServiceUnavailable {
			t.Errorf("job %s after shutdown: %d %+v", id, code, j)
		}
	}
	if rec, _ := postUpload(t, s, "late.csv"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("upload after shutdown: %d", rec.Code)
	}
	if entries, _ := os.ReadDir(s.cfg.UploadDir); len(entries) != 0 {
		t.Errorf("spooled uploads left after shutdown: %v", entries)
	}
}
