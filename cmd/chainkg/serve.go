package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
)

// runServe serves the API and the page: the listener opens first, then the
// store, and SIGINT/SIGTERM shut down within the grace.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := serveConfig(args, stderr)
	if err != nil {
		return err
	}
	log := cfg.logger(stderr)
	auth, err := cfg.auth()
	if err != nil {
		return fmt.Errorf("%w: tokens: %w", errUsage, err)
	}
	if len(auth.Tokens) == 0 {
		log.Info("no API tokens configured: reads are public, writes are refused")
	}

	// st is set once the store is open; the api answers 503 until then, so
	// no upload reaches uploadLoader before.
	var st *store.Store
	srv := api.New(api.Config{
		Timeout: cfg.RequestTimeout, Logger: log, Auth: auth,
		Load:        uploadLoader(func() *store.Store { return st }, cfg.MaxRows, cfg.MappingsDir),
		UploadKinds: loaders.FileKinds(), UploadDir: cfg.UploadDir,
		MaxBody: int64(cfg.MaxBody), MaxUpload: int64(cfg.MaxUpload), CacheBytes: int(cfg.AnswerCache),
	})
	// Uploads a crashed run left on disk: nobody will load them now.
	if n, err := srv.RemoveStaleUploads(); err != nil {
		log.Warn("could not remove every upload a previous run left", "err", err)
	} else if n > 0 {
		log.Info("removed uploads a previous run left", "directories", n)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler()}
	// The listener is open before the store: /healthz answers at once and
	// /readyz says 503 until the read model is built.
	fmt.Fprintf(stdout, "chainkg listening on http://%s\n", ln.Addr())
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()

	st, err = openStore(ctx, cfg, log)
	if err != nil {
		hs.Close()
		if ctx.Err() != nil {
			log.Info("stopped before the store was open", "err", err)
			return nil
		}
		return err
	}
	defer st.Close()
	if cfg.Watch > 0 {
		go st.Watch(ctx, cfg.Watch)
	}
	srv.SetStore(st)
	log.Info("ready", "store", cfg.Store, "backend", st.Backend(), "quads", st.Index().Stats().Quads)

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	return shutdown(ctx, cfg.ShutdownTimeout, hs, srv, serveErr, log)
}

// serveConfig reads serve's flags and environment.
func serveConfig(args []string, stderr io.Writer) (Config, error) {
	var cfg Config
	fs := newFlagSet("serve", stderr, &cfg)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address HOST:PORT (env CHAINKG_ADDR)")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", cfg.ShutdownTimeout, "how long to wait for requests in flight on SIGINT/SIGTERM")
	fs.DurationVar(&cfg.RequestTimeout, "request-timeout", cfg.RequestTimeout, "time limit of one request")
	fs.StringVar(&cfg.TokensFile, "tokens-file", cfg.TokensFile, "file of 'token role' lines (env CHAINKG_TOKENS_FILE; CHAINKG_TOKENS=token:role,… adds more)")
	fs.DurationVar(&cfg.Watch, "watch", 0, "poll a shared store for writes by other replicas this often (default 2s on postgres, off otherwise)")
	fs.BoolVar(&cfg.PrivateReads, "private-reads", cfg.PrivateReads, "reads need a reader token too (env CHAINKG_PRIVATE_READS=true)")
	for _, f := range []struct {
		v    *byteSize
		name string
		env  string
		use  string
	}{
		{&cfg.MaxBody, "max-body", "CHAINKG_MAX_BODY", "largest request body other than an upload"},
		{&cfg.MaxUpload, "max-upload", "CHAINKG_MAX_UPLOAD", "largest uploaded file"},
		{&cfg.AnswerCache, "answer-cache", "CHAINKG_ANSWER_CACHE", "analytics answers kept until the next write"},
	} {
		if v := os.Getenv(f.env); v != "" {
			if err := f.v.Set(v); err != nil {
				return cfg, fmt.Errorf("%w: %s: %w", errUsage, f.env, err)
			}
		}
		fs.Var(f.v, f.name, f.use+": bytes, or 64K, 512M, 1G (env "+f.env+")")
	}
	if v := os.Getenv("CHAINKG_MAX_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return cfg, fmt.Errorf("%w: CHAINKG_MAX_ROWS: want a number of rows, 0 for no limit", errUsage)
		}
		cfg.MaxRows = n
	}
	fs.IntVar(&cfg.MaxRows, "max-rows", cfg.MaxRows, "most rows of an uploaded registry; 0 for no limit (env CHAINKG_MAX_ROWS)")
	fs.StringVar(&cfg.MappingsDir, "mappings", os.Getenv("CHAINKG_MAPPINGS"), "a directory of saved column mappings (NAME.csv of \"header,field\" lines) that an upload names with mapping_name (env CHAINKG_MAPPINGS)")
	fs.StringVar(&cfg.UploadDir, "upload-dir", cfg.UploadDir, "where uploads wait for their load (env CHAINKG_UPLOAD_DIR; default the system's temporary directory)")
	if err := parseInterleaved(fs, args); err != nil {
		return cfg, err
	}
	if cfg.Watch == 0 && (strings.HasPrefix(cfg.Store, "postgres://") || strings.HasPrefix(cfg.Store, "postgresql://")) {
		cfg.Watch = 2 * time.Second
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("%w: serve takes no arguments, got %q", errUsage, fs.Args())
	}
	return cfg, nil
}

// shutdown stops the server within the grace: first the HTTP server, then
// the upload jobs; serveErr gives what Serve returned.
func shutdown(ctx context.Context, grace time.Duration, hs *http.Server, srv *api.Server, serveErr <-chan error, log *slog.Logger) error {
	log.Info("shutting down", "grace", grace)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	herr := hs.Shutdown(sctx)
	// Then the upload jobs: a load still running when the grace ends is
	// cancelled, which leaves the previous version of its source current.
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("shutdown", "err", err)
	}
	if herr != nil {
		return fmt.Errorf("shutdown: %w", herr)
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// defaultMaxRows is the most rows an uploaded registry may have.
const defaultMaxRows = 5_000_000

// openStore opens the configured store and, when it holds no source at all,
// loads the embedded default data. A store that has sources is reused as is.
func openStore(ctx context.Context, cfg Config, log *slog.Logger) (*store.Store, error) {
	store.SetBackendLogger(log)
	st, err := store.Open(ctx, cfg.Store, store.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	if len(st.Index().Sources()) > 0 {
		return st, nil
	}
	log.Info("empty store: loading the embedded default data")
	reps, err := loaders.LoadDefaults(ctx, st, data.FS)
	for _, r := range reps {
		attrs := []any{"source", r.Source, "rows", r.Rows, "loaded", r.Loaded, "rejected", len(r.Rejected), "warnings", len(r.Warnings)}
		for _, k := range sortedKeys(r.Counts) {
			if strings.HasPrefix(k, "region:") || strings.HasPrefix(k, "shandong:") {
				attrs = append(attrs, k, r.Counts[k])
			}
		}
		log.Info("default source loaded", attrs...)
	}
	if err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
