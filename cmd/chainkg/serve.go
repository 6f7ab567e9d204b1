package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/loaders"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := newFlagSet("serve", stderr, &cfg)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address HOST:PORT (env CHAINKG_ADDR)")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", cfg.ShutdownTimeout, "how long to wait for requests in flight on SIGINT/SIGTERM")
	fs.DurationVar(&cfg.RequestTimeout, "request-timeout", cfg.RequestTimeout, "time limit of one request")
	fs.StringVar(&cfg.TokensFile, "tokens-file", cfg.TokensFile, "file of 'token role' lines (env CHAINKG_TOKENS_FILE; CHAINKG_TOKENS=token:role,… adds more)")
	fs.DurationVar(&cfg.Watch, "watch", 0, "poll a shared store for writes by other replicas this often (default 2s on postgres, off otherwise)")
	fs.BoolVar(&cfg.PrivateReads, "private-reads", cfg.PrivateReads, "reads need a reader token too (env CHAINKG_PRIVATE_READS=true)")
	if err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if cfg.Watch == 0 && (strings.HasPrefix(cfg.Store, "postgres://") || strings.HasPrefix(cfg.Store, "postgresql://")) {
		cfg.Watch = 2 * time.Second
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: serve takes no arguments, got %q", errUsage, fs.Args())
	}
	log := cfg.logger(stderr)
	auth, err := cfg.auth()
	if err != nil {
		return fmt.Errorf("%w: tokens: %v", errUsage, err)
	}
	if len(auth.Tokens) == 0 {
		log.Info("no API tokens configured: reads are public, writes are refused")
	}

	// st is set once the store is open; the api answers 503 until then, so
	// no upload reaches uploadLoader before.
	var st *graph.Store
	srv := api.New(api.Config{Timeout: cfg.RequestTimeout, Logger: log, Auth: auth, Load: uploadLoader(func() *graph.Store { return st })})
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
	log.Info("shutting down", "grace", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// openStore opens the configured store and, when it holds no source at all,
// loads the embedded default data. A store that has sources is reused as is.
func openStore(ctx context.Context, cfg Config, log *slog.Logger) (*graph.Store, error) {
	graph.SetBackendLogger(log)
	st, err := graph.Open(ctx, cfg.Store, graph.Options{Logger: log})
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
