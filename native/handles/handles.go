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

// Registry issues handles for native objects. Each object carries its own
// lock: calls on different handles run in parallel; calls on one handle are
// serialised, unless the object was stored with PutShared, whose calls
// overlap. Release waits for the calls in flight on its handle either way.
type Registry struct {
	mu      sync.Mutex
	next    int64
	objects map[int64]*entry
	limit   int
}

type entry struct {
	mu     sync.RWMutex
	shared bool // calls take mu's read lock and overlap (PutShared)
	value  any  // nil once released
}

// NewRegistry returns a registry holding at most limit live objects, so a
// caller that leaks handles gets an error rather than exhausting memory.
func NewRegistry(limit int) *Registry {
	return &Registry{objects: make(map[int64]*entry), limit: limit}
}

// Put stores value and returns its handle (never 0, so 0 can mean "none").
// Calls on the handle are serialised: fn of one With runs at a time.
func (r *Registry) Put(value any) (int64, error) { return r.put(value, false) }

// PutShared is Put for a value that never changes once stored (a verifying
// key): any number of With calls on its handle run at once.
func (r *Registry) PutShared(value any) (int64, error) { return r.put(value, true) }

func (r *Registry) put(value any, shared bool) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.objects) >= r.limit {
		return 0, fmt.Errorf("too many live native objects (%d); release handles you no longer use", r.limit)
	}
	r.next++
	r.objects[r.next] = &entry{value: value, shared: shared}
	return r.next, nil
}

// With runs fn on the object behind h while holding that object's lock:
// exclusively, or shared for an object stored with PutShared.
func (r *Registry) With(h int64, fn func(value any) error) error {
	r.mu.Lock()
	e, ok := r.objects[h]
	r.mu.Unlock()
	if !ok {
		return fmt.Errorf("handle %d: %w", h, ErrUnknown)
	}
	if e.shared {
		e.mu.RLock()
		defer e.mu.RUnlock()
	} else {
		e.mu.Lock()
		defer e.mu.Unlock()
	}
	if e.value == nil { // released while we waited for the lock
		return fmt.Errorf("handle %d: %w", h, ErrUnknown)
	}
	return fn(e.value)
}

// Release forgets h once the calls in flight on it have returned; calls that
// come later get ErrUnknown. Releasing an unknown handle is an error so that
// double frees in Java show up instead of passing silently.
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
