package api

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// Errors of the api itself.
var (
	errBadRequest = errors.New("api: bad request")
	errNotReady   = errors.New("api: the read model is being built")
	// errUnsupportedMedia answers 415: a body in a type the route does not read.
	errUnsupportedMedia = errors.New("api: unsupported media type")
)

// statusOf is the one table from errors to HTTP statuses. An error not in it
// is a fault of ours: 500, logged.
var statusOf = []struct {
	err    error
	status int
}{
	{store.ErrQueryTimeout, http.StatusGatewayTimeout},
	{graph.ErrNotFound, http.StatusNotFound},
	{graph.ErrInvalid, http.StatusBadRequest},
	{errUnsupportedMedia, http.StatusUnsupportedMediaType},
	{errBadRequest, http.StatusBadRequest},
	{errUnauthorized, http.StatusUnauthorized},
	{errForbidden, http.StatusForbidden},
	{ErrInputRejected, http.StatusUnprocessableEntity},
	{graph.ErrUnsupported, http.StatusBadRequest},
	{graph.ErrConflict, http.StatusConflict},
	{errNotReady, http.StatusServiceUnavailable},
	{errTooLarge, http.StatusRequestEntityTooLarge},
	{errQueueFull, http.StatusServiceUnavailable},
	{errShuttingDown, http.StatusServiceUnavailable},
	{graph.ErrClosed, http.StatusServiceUnavailable},
	{context.DeadlineExceeded, http.StatusServiceUnavailable},
}

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// handleError is Echo's error handler: every error a handler returns, and
// every error of routing and middleware, becomes a problem details body.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, detail := statusFor(err)
	if status >= 500 && status != http.StatusServiceUnavailable && status != http.StatusGatewayTimeout {
		s.log.Error("request failed", "uri", redactURI(c.Request().RequestURI), "err", err)
		detail = "internal error; the server log has the details"
	}
	p := Problem{
		Type:      "about:blank",
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    detail,
		Instance:  c.Request().URL.Path,
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID),
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	if c.Request().Method == http.MethodHead {
		err = c.NoContent(status)
	} else {
		c.Response().WriteHeader(status)
		err = jsonSerializer{}.Serialize(c, p, "")
	}
	if err != nil {
		s.log.Error("writing an error response failed", "err", err)
	}
}

// statusFor maps an error to its HTTP status and the detail to show: the
// error as a plain sentence (PlainMessage); the whole chain goes to the
// request log.
func statusFor(err error) (int, string) {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if m, ok := he.Message.(string); ok {
			return he.Code, PlainMessage(errors.New(m))
		}
		return he.Code, http.StatusText(he.Code)
	}
	for _, m := range statusOf {
		if errors.Is(err, m.err) {
			return m.status, PlainMessage(err)
		}
	}
	return http.StatusInternalServerError, err.Error()
}

// internalPrefix matches what our packages put before the errors they
// wrap: their names ("api: ", "loaders: "), the words that only restate
// the status ("input rejected: ", "bad request: ", "invalid: "), and the
// store's context ("replace registry/f.csv: "). Context for the log, noise
// for a person. What carries meaning ("request body too large", "not
// found", "a zip bomb?") stays.
// Each starts the message or follows a ": ", as wrapping puts them.
var internalPrefix = regexp.MustCompile(`(?:^|: )(?:(?:api|graph|loaders|plandoc|export|zipguard): |(?:input rejected|bad request|invalid|(?:replace|delete) [^\s:]+|commit)(?:: |$))`)

// PlainMessage is an error as one plain sentence for a person: our
// packages' prefixes removed. File, line and column stay where the error
// gives them.
func PlainMessage(err error) string {
	msg := err.Error()
	for {
		out := internalPrefix.ReplaceAllStringFunc(msg, func(m string) string {
			if strings.HasPrefix(m, ": ") {
				return ": " // the separator before the phrase stays
			}
			return ""
		})
		out = strings.TrimPrefix(strings.TrimSpace(out), ": ")
		out = strings.ReplaceAll(out, ": : ", ": ")
		if out == "" {
			return err.Error() // nothing but prefixes: better those than nothing
		}
		if out == msg {
			return strings.TrimSuffix(msg, ":")
		}
		msg = out
	}
}
