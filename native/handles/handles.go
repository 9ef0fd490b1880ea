// Package handles maps the opaque 64-bit handles given to Java onto Go
// objects. Java never sees a Go pointer (cgo forbids keeping one in C
// memory), and a stale, forged or released handle is an error, never a crash.
package handles

import (
	"errors"
	"fmt"
	"sync"
)

// ErrUnknown is returned for a handle that was never issued or was released.
var ErrUnknown = errors.New("unknown or released handle")

// Registry issues handles for objects of one kind of native value. Each object
// carries its own mutex: calls on one handle are serialised, calls on
// different handles run in parallel.
type Registry struct {
	mu      sync.Mutex
	next    int64
	objects map[int64]*entry
	limit   int
}

type entry struct {
	mu    sync.Mutex
	value any
}

// NewRegistry returns a registry holding at most limit live objects, so a
// caller that leaks handles gets an error rather than exhausting memory.
func NewRegistry(limit int) *Registry {
	return &Registry{objects: make(map[int64]*entry), limit: limit}
}

// Put stores value and returns its handle (never 0, so 0 can mean "none").
func (r *Registry) Put(value any) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.objects) >= r.limit {
		return 0, fmt.Errorf("too many live native objects (%d); release handles you no longer use", r.limit)
	}
	r.next++
	r.objects[r.next] = &entry{value: value}
	return r.next, nil
}

// With runs fn on the object behind h while holding that object's lock.
func (r *Registry) With(h int64, fn func(value any) error) error {
	r.mu.Lock()
	e, ok := r.objects[h]
	r.mu.Unlock()
	if !ok {
		return fmt.Errorf("handle %d: %w", h, ErrUnknown)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.value == nil { // released while we waited for the lock
		return fmt.Errorf("handle %d: %w", h, ErrUnknown)
	}
	return fn(e.value)
}

// Release forgets h. Releasing an unknown handle is an error so that double
// frees in Java show up instead of passing silently.
func (r *Registry) Release(h int64) error {
	r.mu.Lock()
	e, ok := r.objects[h]
	delete(r.objects, h)
	r.mu.Unlock()
	if !ok {
		return fmt.Errorf("handle %d: %w", h, ErrUnknown)
	}
	e.mu.Lock()
	e.value = nil
	e.mu.Unlock()
	return nil
}

// Len is the number of live handles.
func (r *Registry) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.objects)
}
