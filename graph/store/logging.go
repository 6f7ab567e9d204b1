package store

import (
	"fmt"
	"log/slog"

	"github.com/cayleygraph/cayley/clog"
)

// SetBackendLogger sends cayley's own log lines (a process-wide logger) to l:
// warnings and errors at their level, the rest at debug.
func SetBackendLogger(l *slog.Logger) { clog.SetLogger(clogAdapter{l}) }

type clogAdapter struct{ l *slog.Logger }

func (a clogAdapter) Infof(format string, args ...any) {
	a.l.Debug(fmt.Sprintf(format, args...), "from", "cayley")
}

func (a clogAdapter) Warningf(format string, args ...any) {
	a.l.Warn(fmt.Sprintf(format, args...), "from", "cayley")
}

func (a clogAdapter) Errorf(format string, args ...any) {
	a.l.Error(fmt.Sprintf(format, args...), "from", "cayley")
}

func (a clogAdapter) Fatalf(format string, args ...any) {
	a.l.Error(fmt.Sprintf(format, args...), "from", "cayley")
	panic(fmt.Sprintf(format, args...))
}

func (a clogAdapter) V(level int) bool { return false }

func (a clogAdapter) SetV(level int) {}
