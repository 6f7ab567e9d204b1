package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
)

// An upload becomes a job: the request that carries the file ends when the
// file is on disk, and the load runs on after it, one at a time (the store
// serialises writes anyway), under the server's life rather than the
// request's time limit. GET /api/v1/jobs/{id} follows it.

// Job states.
const (
	JobQueued  = "queued"  // waiting for the load before it
	JobRunning = "running" // being read and written
	JobDone    = "done"    // loaded, or unchanged
	JobFailed  = "failed"  // refused (the report says why) or broken off
)

// JobResponse is an upload job: its state, its progress while it runs, and
// the load report once it is done.
type JobResponse struct {
	ID       string      `json:"id"`
	Kind     string      `json:"kind"`
	File     string      `json:"file"`
	State    string      `json:"state"`
	Progress JobProgress `json:"progress"`
	Created  time.Time   `json:"created"`
	Started  *time.Time  `json:"started,omitempty"`
	Finished *time.Time  `json:"finished,omitempty"`
	// Status is, once the job has finished, the HTTP status a synchronous
	// upload would have answered: 201 loaded, 200 unchanged, 422 refused,
	// 500 failed for a reason of ours, 503 stopped by a shutdown.
	Status int         `json:"status,omitempty"`
	Report *LoadReport `json:"report,omitempty"`
	Error  string      `json:"error,omitempty"`
}

// JobProgress is how far a job has read its file. Unit is "bytes": of the
// file, or for a workbook of its sheet uncompressed. Once all is read the
// store commits the new version and rebuilds the read model, which at a
// million firms takes minutes more.
type JobProgress struct {
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
	Unit  string `json:"unit"`
}

// JobsResponse lists the jobs the server remembers, newest first.
type JobsResponse struct {
	Jobs []JobResponse `json:"jobs"`
}

// Upload is a file received for loading, spooled to disk by the api.
type Upload struct {
	Kind   string
	Name   string // the client's file name: a base name, checked by safeFileName
	Path   string // the spooled file, named Name; the api removes it after the load
	Strict bool
	// AllowShrink lets the file replace a source with under half its facts.
	AllowShrink bool
	// Mapping maps the file's headers to fields: "header,field" lines, as
	// 'chainkg load --mapping' reads them; "" for none.
	Mapping string
	// MappingName names a mapping saved on the server instead.
	MappingName string
	// Progress receives units done of total as the loader reads.
	Progress func(done, total int64)
}

// job is one upload's load.
type job struct {
	id      string
	up      Upload
	spool   *spool // the spool directory, removed when the job ends
	created time.Time
	done    chan struct{} // closed when the job has finished

	progress, total atomic.Int64

	mu       sync.Mutex
	state    string
	started  time.Time
	finished time.Time
	status   int
	report   *LoadReport
	err      string
}

func (j *job) response() JobResponse {
	j.mu.Lock()
	defer j.mu.Unlock()
	r := JobResponse{
		ID: j.id, Kind: j.up.Kind, File: j.up.Name, State: j.state, Created: j.created,
		Progress: JobProgress{Done: j.progress.Load(), Total: j.total.Load(), Unit: "bytes"},
		Status:   j.status, Report: j.report, Error: j.err,
	}
	if !j.started.IsZero() {
		t := j.started
		r.Started = &t
	}
	if !j.finished.IsZero() {
		t := j.finished
		r.Finished = &t
	}
	return r
}

// jobQueue runs upload jobs one at a time and remembers the last ones.
type jobQueue struct {
	load LoadFunc
	log  *slog.Logger
	keep int // finished jobs remembered

	mu       sync.Mutex
	jobs     map[string]*job
	finished []string // ids of finished jobs, oldest first
	closed   bool

	queue  chan *job
	ctx    context.Context // the running job's context; cancelled by a shutdown that runs out of time
	cancel context.CancelFunc
	start  sync.Once
	exited chan struct{}
}

func newJobQueue(load LoadFunc, log *slog.Logger, queued, keep int) *jobQueue {
	ctx, cancel := context.WithCancel(context.Background())
	return &jobQueue{load: load, log: log, keep: keep, jobs: map[string]*job{},
		queue: make(chan *job, queued), ctx: ctx, cancel: cancel, exited: make(chan struct{})}
}

var (
	errQueueFull    = errors.New("api: too many uploads are waiting; try again later")
	errShuttingDown = errors.New("api: the server is shutting down")
)

// submit queues a job, or refuses when the queue is full or closed.
func (q *jobQueue) submit(up Upload, sp *spool) (*job, error) {
	q.start.Do(func() { go q.run() })
	id, err := newJobID()
	if err != nil {
		return nil, err
	}
	j := &job{id: id, up: up, spool: sp, created: time.Now().UTC(), state: JobQueued, done: make(chan struct{})}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return nil, errShuttingDown
	}
	select {
	case q.queue <- j:
	default:
		return nil, errQueueFull
	}
	q.jobs[id] = j
	return j, nil
}

// full says whether a new upload would be refused, so a request can be
// refused before its body is read.
func (q *jobQueue) full() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed || len(q.queue) == cap(q.queue)
}

func newJobID() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// run is the one worker: it loads jobs in the order they came.
func (q *jobQueue) run() {
	defer close(q.exited)
	for j := range q.queue {
		q.runJob(j)
	}
}

func (q *jobQueue) runJob(j *job) {
	defer j.spool.remove()
	if q.ctx.Err() != nil {
		q.finish(j, nil, fmt.Errorf("%w: the upload was not loaded", errShuttingDown))
		return
	}
	j.mu.Lock()
	j.state, j.started = JobRunning, time.Now().UTC()
	j.mu.Unlock()
	if fi, err := os.Stat(j.up.Path); err == nil {
		j.total.Store(fi.Size())
	}
	up := j.up
	up.Progress = func(done, total int64) {
		j.progress.Store(done)
		if total > 0 {
			j.total.Store(total)
		}
	}
	q.log.Info("upload job started", "job", j.id, "kind", up.Kind, "file", up.Name)
	rep, err := q.load(q.ctx, up)
	q.finish(j, &rep, err)
}

// finish records a job's outcome and forgets the oldest finished jobs
// beyond the history kept.
func (q *jobQueue) finish(j *job, rep *LoadReport, err error) {
	status := http.StatusCreated
	switch {
	case err == nil && rep.Unchanged:
		status = http.StatusOK
	case err == nil:
	case errors.Is(err, ErrInputRejected):
		status = http.StatusUnprocessableEntity
	case errors.Is(err, errShuttingDown) || errors.Is(err, context.Canceled):
		status = http.StatusServiceUnavailable
	default:
		status = http.StatusInternalServerError
		q.log.Error("upload job failed", "job", j.id, "file", j.up.Name, "err", err)
	}
	if rep != nil {
		if err != nil {
			rep.Error = PlainMessage(err)
		}
		if rep.Rejected == nil {
			rep.Rejected = []LoadIssue{}
		}
		if rep.Warnings == nil {
			rep.Warnings = []LoadIssue{}
		}
	}
	j.mu.Lock()
	j.state, j.status, j.report, j.finished = JobDone, status, rep, time.Now().UTC()
	if err != nil {
		j.state, j.err = JobFailed, PlainMessage(err)
	}
	if j.total.Load() > 0 && err == nil {
		j.progress.Store(j.total.Load())
	}
	j.mu.Unlock()
	close(j.done)
	if err != nil && status < 500 {
		q.log.Info("upload job refused", "job", j.id, "file", j.up.Name, "status", status, "err", err)
	}
	q.log.Info("upload job finished", "job", j.id, "file", j.up.Name, "status", status)

	q.mu.Lock()
	defer q.mu.Unlock()
	q.finished = append(q.finished, j.id)
	for len(q.finished) > q.keep {
		delete(q.jobs, q.finished[0])
		q.finished = q.finished[1:]
	}
}

func (q *jobQueue) get(id string) (*job, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	j, ok := q.jobs[id]
	return j, ok
}

func (q *jobQueue) list() []*job {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]*job, 0, len(q.jobs))
	for _, j := range q.jobs {
		out = append(out, j)
	}
	slices.SortFunc(out, func(a, b *job) int { return b.created.Compare(a.created) })
	return out
}

// shutdown refuses new uploads and waits for the queued and running ones;
// when ctx ends first it cancels them (a cancelled load leaves the previous
// version of its source current) and waits for the worker to stop.
func (q *jobQueue) shutdown(ctx context.Context) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil
	}
	q.closed = true
	close(q.queue)
	q.mu.Unlock()
	q.start.Do(func() { go q.run() })
	select {
	case <-q.exited:
		return nil
	case <-ctx.Done():
	}
	q.cancel()
	<-q.exited
	return fmt.Errorf("api: uploads still running when the shutdown grace ended were cancelled (a load already past its commit finishes, and its job says so): %w", ctx.Err())
}

// Shutdown stops taking uploads and waits, until ctx ends, for the upload
// jobs queued and running; then it cancels what is left. Call it after the
// HTTP server's own Shutdown.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.jobs.shutdown(ctx)
}

func (s *Server) getJob(c echo.Context) error {
	j, ok := s.jobs.get(c.Param("id"))
	if !ok {
		return fmt.Errorf("%w: job %q (the server keeps the last %d finished jobs, and none across restarts)", graph.ErrNotFound, c.Param("id"), s.cfg.JobHistory)
	}
	return c.JSON(http.StatusOK, j.response())
}

func (s *Server) listJobs(c echo.Context) error {
	js := s.jobs.list()
	out := JobsResponse{Jobs: make([]JobResponse, len(js))}
	for i, j := range js {
		out.Jobs[i] = j.response()
	}
	return c.JSON(http.StatusOK, out)
}

// jobPath is where a job is followed.
func jobPath(id string) string { return "/api/v1/jobs/" + id }

// spoolDir makes the directory an upload is written to.
func (s *Server) spoolDir() (*spool, error) { return newSpool(s.cfg.UploadDir) }

// spoolPath is the upload's file in its spool directory. name has passed
// safeFileName, so the path stays inside dir.
func spoolPath(dir, name string) string { return filepath.Join(dir, name) }
