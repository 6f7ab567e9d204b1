package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestShutdownFinishesRequestsInFlight stops the server while a request is
// half sent: new connections are refused, the request in flight still
// gets its whole answer, and the server then returns cleanly.
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	base, logs, stop := startServe(t, "mem:")

	// The request goes in two parts over a raw connection: the headers and
	// half the body before the signal, the rest after the listener closed.
	body := `{"lang":"gizmo","query":"g.Emit(g.V().Count())"}`
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:16])
	// The handler is running (waiting for the rest of the body) once the
	// server counts two requests in flight: that one and /metrics.
	deadline := time.Now().Add(10 * time.Second)
	for inFlight(t, base) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the request never reached its handler")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	deadline = time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "shutting down") {
		if time.Now().After(deadline) {
			t.Fatalf("no shutdown logged; logs:\n%s", logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The listener is closed once Shutdown starts; wait until it refuses.
	for {
		c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the listener still accepts after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	io.WriteString(conn, body[16:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("request in flight: %v; logs:\n%s", err, logs)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("request in flight: %s %s", resp.Status, b)
	}
	var answer struct {
		Results []any `json:"results"`
	}
	if err := json.Unmarshal(b, &answer); err != nil || len(answer.Results) == 0 {
		t.Fatalf("request in flight answered %s (%v)", b, err)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("serve returned %v; logs:\n%s", err, logs)
	}
}

// inFlight reads the server's count of requests being served.
func inFlight(t *testing.T, base string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "chainkg_http_requests_in_flight "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("no chainkg_http_requests_in_flight in /metrics:\n%s", b)
	return 0
}
