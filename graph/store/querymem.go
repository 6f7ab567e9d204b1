package store

import (
	"context"
	"runtime"
	"runtime/metrics"
	"time"
)

// DefaultQueryMemory is how much the heap may grow while an ad-hoc query
// runs before the query is stopped.
const DefaultQueryMemory = 256 << 20

// heapWatchEvery is how often the heap is read while a query runs. Reading
// it is a few microseconds and stops nothing; a doubling string takes tens
// of milliseconds per step once it is large.
const heapWatchEvery = 2 * time.Millisecond

// The memory watched: heap objects, live or not yet swept, which grow as
// soon as something is allocated, and goroutine stacks, which deep
// recursion through built-ins grows.
var watchedMemory = []string{"/memory/classes/heap/objects:bytes", "/memory/classes/heap/stacks:bytes"}

// watchHeap stops a query (calls stop) when the heap has grown by more than
// budget since it started, and returns when ctx ends.
//
// Why this containment and how far it holds. Gizmo is JavaScript run by
// goja in this process; goja has no memory limit, cayley's session does
// not expose its runtime, and one program doubling a string ended the
// server with "fatal error: out of memory" (issue 19), taking a mem: store
// with it. Go cannot attribute allocations to a goroutine, so the process
// heap is watched instead, and a query is stopped through its context:
// gizmo interrupts the runtime (goja's Interrupt, checked between
// JavaScript instructions) and the view fails every read after (view.go),
// which ends a traversal in progress.
//
// Garbage is not use: the heap also grows by what other requests and the
// query itself have dropped and the collector has not yet freed. Past the
// budget the watch therefore runs a collection and stops the query only if
// the heap is still over it afterwards; past four budgets it stops the
// query at once, so a program cannot outgrow the collection. A load running
// at the same time also grows the heap, and can make a large query stop;
// the message says to ask for less, and the query can be run again.
//
// What it does not hold (tried, 2026-12-04): a single built-in call that
// allocates or loops by a size the program chooses — "x".repeat(1e11), a
// sparse array (a[4e9] = 1) passed to g.Emit, join or fill, an object with
// a large length given to an array method — runs in Go, where neither the
// interrupt nor this watch reaches, and still ends the process; so does
// nothing else here. A check of the program's text cannot close that: any
// property can be reached by a computed name. Recursion through built-ins
// (a callback of map calling map) is stopped, but goja unwinds it in time
// quadratic in its depth. The sound bound is a separate process with its
// own memory limit, which a mem: store, living in this process, cannot
// give a query without copying itself; it is not built.
func watchHeap(ctx context.Context, budget int64, stop func()) {
	sample := make([]metrics.Sample, len(watchedMemory))
	for i, name := range watchedMemory {
		sample[i].Name = name
	}
	read := func() int64 {
		metrics.Read(sample)
		var n int64
		for _, s := range sample {
			n += int64(s.Value.Uint64())
		}
		return n
	}
	base := read()
	soft, hard := base+budget, base+4*budget
	tick := time.NewTicker(heapWatchEvery)
	defer tick.Stop()
	collected := make(chan struct{}, 1)
	collecting := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-collected:
			collecting = false
			if read() > soft {
				stop()
				return
			}
		case <-tick.C:
			switch h := read(); {
			case h > hard:
				stop()
				return
			case h > soft && !collecting:
				collecting = true
				go func() {
					runtime.GC()
					collected <- struct{}{}
				}()
			}
		}
	}
}
