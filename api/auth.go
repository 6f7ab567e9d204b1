package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// Role is what a token may do. Each role includes the ones before it.
type Role int

// Roles.
const (
	RoleNone   Role = iota
	RoleReader      // GET the API, run ad-hoc queries
	RoleWriter      // upload and delete sources, overrides
	RoleAdmin       // everything
)

// ParseRole reads reader, writer or admin.
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "reader":
		return RoleReader, nil
	case "writer":
		return RoleWriter, nil
	case "admin":
		return RoleAdmin, nil
	}
	return RoleNone, fmt.Errorf("role %q: want reader, writer or admin", s)
}

func (r Role) String() string {
	switch r {
	case RoleReader:
		return "reader"
	case RoleWriter:
		return "writer"
	case RoleAdmin:
		return "admin"
	}
	return "none"
}

// Auth says who may do what.
type Auth struct {
	// Tokens maps each API token to its role.
	Tokens map[string]Role
	// PrivateReads makes reads need a reader token too; by default a request
	// without a token may read.
	PrivateReads bool
}

var (
	errUnauthorized = errors.New("api: a valid bearer token is required")
	errForbidden    = errors.New("api: the token's role does not allow this")
)

// tokenHash is how tokens are held: comparing fixed-length digests in
// constant time tells nothing about how much of a token matched.
type tokenHash [sha256.Size]byte

type tokenTable struct {
	hashes []tokenHash
	roles  []Role
	public bool
}

func newTokenTable(a Auth) tokenTable {
	t := tokenTable{public: !a.PrivateReads}
	for tok, role := range a.Tokens {
		t.hashes = append(t.hashes, sha256.Sum256([]byte(tok)))
		t.roles = append(t.roles, role)
	}
	return t
}

// roleOf returns the role of a presented token, comparing it with every
// known token in constant time.
func (t tokenTable) roleOf(token string) Role {
	h := sha256.Sum256([]byte(token))
	role := RoleNone
	for i, k := range t.hashes {
		if subtle.ConstantTimeCompare(h[:], k[:]) == 1 {
			role = t.roles[i]
		}
	}
	return role
}

const (
	roleKey      = "chainkg.role"
	anonymousKey = "chainkg.anonymous"
)

// authenticate reads the bearer token, if any, and records the role. A
// token that is presented but unknown is refused at once.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		role := RoleNone
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			tok, ok := bearerToken(h)
			if !ok {
				return s.unauthorized(c, "the Authorization header must be 'Bearer <token>'")
			}
			if role = s.tokens.roleOf(tok); role == RoleNone {
				return s.unauthorized(c, "unknown token")
			}
		} else {
			c.Set(anonymousKey, true)
			if s.tokens.public {
				role = RoleReader
			}
		}
		c.Set(roleKey, role)
		return next(c)
	}
}

// bearerToken reads the token of an Authorization header. The scheme is
// case-insensitive and separated from its credentials by one or more
// spaces (RFC 9110 §11.1, §11.4; RFC 6750 §2.1).
func bearerToken(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimLeft(tok, " ")
	return tok, tok != "" && !strings.ContainsAny(tok, " \t")
}

func (s *Server) unauthorized(c echo.Context, why string) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="chainkg"`)
	return fmt.Errorf("%w: %s", errUnauthorized, why)
}

// require returns a middleware that lets only roles at least r through.
func (s *Server) require(r Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			have, _ := c.Get(roleKey).(Role)
			switch {
			case have >= r:
				return next(c)
			case have == RoleNone || c.Get(anonymousKey) == true:
				return s.unauthorized(c, "this needs a "+r.String()+" token")
			default:
				return fmt.Errorf("%w: this needs the %s role, the token has %s", errForbidden, r, have)
			}
		}
	}
}

// secretParams are words that mark a query parameter as a credential.
var secretParams = []string{"token", "key", "auth", "secret", "password", "passwd", "bearer", "credential", "signature"}

// redactURI hides the values of query parameters that look like
// credentials before a URI is logged. The API takes tokens only in the
// Authorization header, but clients put them in the query string anyway,
// and a log is read by more people than the token was meant for.
func redactURI(uri string) string {
	path, query, ok := strings.Cut(uri, "?")
	if !ok {
		return uri
	}
	parts := strings.Split(query, "&")
	for i, p := range parts {
		name, _, hasValue := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		name = strings.ToLower(name)
		for _, w := range secretParams {
			if strings.Contains(name, w) {
				if hasValue {
					parts[i] = p[:strings.IndexByte(p, '=')] + "=REDACTED"
				}
				break
			}
		}
	}
	return path + "?" + strings.Join(parts, "&")
}
