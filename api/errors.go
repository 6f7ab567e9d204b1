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
	// Message is the status in a sentence of Chinese with what to do, for
	// a person; Title and Detail stay the stable English of the API.
	Message string `json:"message"`
}

// statusMessages say each status in Chinese, with what to do.
var statusMessages = map[int]string{
	http.StatusBadRequest:            "请求有误：请检查地址中的参数（地区代码、产业链、数字）后重试。",
	http.StatusUnauthorized:          "需要登录：请用令牌登录后再试。",
	http.StatusForbidden:             "没有权限：这项操作需要更高权限的令牌。",
	http.StatusNotFound:              "没有找到：请检查地址或编号，或回到首页重新选择。",
	http.StatusMethodNotAllowed:      "不支持这种请求方式。",
	http.StatusRequestEntityTooLarge: "文件或请求太大：请拆分后再上传。",
	http.StatusUnsupportedMediaType:  "不支持的内容类型：请按接口文档提交。",
	http.StatusUnprocessableEntity:   "文件无法载入：请按提示修改文件后重新上传，原有数据未改动。",
	http.StatusTooManyRequests:       "请求太多：请稍后再试。",
	http.StatusServiceUnavailable:    "服务正在启动或繁忙：请稍后再试。",
	http.StatusGatewayTimeout:        "查询超时：请缩小范围或稍后再试。",
}

// statusMessage says a status in Chinese.
func statusMessage(status int) string {
	if m, ok := statusMessages[status]; ok {
		return m
	}
	if status >= 500 {
		return "服务器出错：请稍后再试；如仍出错，请把请求编号告诉管理员。"
	}
	return "请求未能完成。"
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
		Message:   statusMessage(status),
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
