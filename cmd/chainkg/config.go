package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/graph/store"
)

// Config is everything the commands are told from outside: flags first,
// then CHAINKG_* environment variables, then defaults. Only cmd reads the
// environment.
type Config struct {
	Store           string        // store URL
	Addr            string        // listen address of serve
	ShutdownTimeout time.Duration // how long serve waits for requests in flight
	RequestTimeout  time.Duration // per-request limit
	LogLevel        slog.Level
	LogJSON         bool
	Tokens          string // token:role,… (CHAINKG_TOKENS); never logged
	TokensFile      string // a file of "token role" lines
	PrivateReads    bool   // reads need a token too
	Watch           time.Duration
	MaxBody         byteSize // bytes of a request body other than an upload
	MaxUpload       byteSize // bytes of an uploaded file
	MaxRows         int      // rows of an uploaded registry
	AnswerCache     byteSize // analytics answers kept for the current read model
	UploadDir       string   // where uploads wait for their load
	MappingsDir     string   // saved column mappings an upload may name
}

// byteSize is a flag of bytes: 1048576, 64K, 512M, 1G.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	s = strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for suffix, m := range map[string]int64{"K": 1 << 10, "M": 1 << 20, "G": 1 << 30} {
		if t, ok := strings.CutSuffix(strings.TrimSuffix(s, "B"), suffix); ok {
			s, mult = t, m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult {
		return fmt.Errorf("want a positive number of bytes such as 1048576, 64K, 512M or 1G")
	}
	*b = byteSize(n * mult)
	return nil
}

// newFlagSet makes a command's flag set with the flags every command shares.
func newFlagSet(name string, stderr io.Writer, cfg *Config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	*cfg = Config{
		Store:           envOr("CHAINKG_STORE", store.DefaultStoreURL),
		Addr:            envOr("CHAINKG_ADDR", ":8080"),
		ShutdownTimeout: 15 * time.Second,
		RequestTimeout:  30 * time.Second,
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(envOr("CHAINKG_LOG_LEVEL", "info"))); err != nil {
		cfg.LogLevel = slog.LevelInfo
	}
	cfg.LogJSON = os.Getenv("CHAINKG_LOG_FORMAT") == "json"
	cfg.Tokens = os.Getenv("CHAINKG_TOKENS")
	cfg.TokensFile = os.Getenv("CHAINKG_TOKENS_FILE")
	cfg.PrivateReads = os.Getenv("CHAINKG_PRIVATE_READS") == "true"
	cfg.MaxBody, cfg.MaxUpload, cfg.MaxRows = api.DefaultMaxBody, api.DefaultMaxUpload, defaultMaxRows
	cfg.AnswerCache = api.DefaultCacheBytes
	cfg.UploadDir = os.Getenv("CHAINKG_UPLOAD_DIR")
	fs.StringVar(&cfg.Store, "store", cfg.Store, "store URL: mem:, bbolt:PATH or postgres://… (env CHAINKG_STORE)")
	return fs
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && strings.TrimSpace(v) != "" {
		return v
	}
	return def
}

// parse parses args and turns flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	return nil
}

// logger builds the process logger.
func (c Config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// parseInterleaved parses flags that may stand before, between or after
// positional arguments ("load registry a.csv --strict").
func parseInterleaved(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

// auth builds the API's token table from CHAINKG_TOKENS ("token:role,…")
// and the tokens file (one "token role" or "token:role" per line, # comments).
func (c Config) auth() (api.Auth, error) {
	a := api.Auth{Tokens: map[string]api.Role{}, PrivateReads: c.PrivateReads}
	seen := map[string]string{} // token → where it was first listed
	add := func(where, entry string) error {
		tok, role, ok := strings.Cut(entry, ":")
		if !ok {
			tok, role, ok = strings.Cut(entry, " ")
		}
		tok, role = strings.TrimSpace(tok), strings.TrimSpace(role)
		if !ok || tok == "" {
			return fmt.Errorf("%s: an entry is not 'token:role'", where)
		}
		if len(tok) < 16 {
			return fmt.Errorf("%s: a token is shorter than 16 characters", where)
		}
		r, err := api.ParseRole(role)
		if err != nil {
			return fmt.Errorf("%s: %v", where, err)
		}
		// A token listed twice would silently take the last role: which one
		// was meant is not ours to guess. The token itself is never printed.
		if first, dup := seen[tok]; dup {
			return fmt.Errorf("%s: the same token is already listed at %s; list each token once, with one role", where, first)
		}
		seen[tok] = where
		a.Tokens[tok] = r
		return nil
	}
	for i, e := range strings.Split(c.Tokens, ",") {
		if strings.TrimSpace(e) == "" {
			continue
		}
		if err := add(fmt.Sprintf("CHAINKG_TOKENS entry %d", i+1), e); err != nil {
			return a, err
		}
	}
	if c.TokensFile != "" {
		b, err := os.ReadFile(c.TokensFile)
		if err != nil {
			return a, err
		}
		for i, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if err := add(fmt.Sprintf("%s:%d", c.TokensFile, i+1), line); err != nil {
				return a, err
			}
		}
	}
	return a, nil
}
