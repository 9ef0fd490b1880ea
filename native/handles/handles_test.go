package handles

import (
	"errors"
	"sync"
	"time"
	"testing"
)

func TestLifecycle(t *testing.T) {
	r := NewRegistry(2)
	a, err := r.Put("a")
	if err != nil || a == 0 {
		t.Fatalf("put: %d %v", a, err)
	}
	b, _ := r.Put("b")
	if _, err := r.Put("c"); err == nil {
		t.Fatal("limit not enforced")
	}
	var seen any
	if err := r.With(b, func(v any) error { seen = v; return nil }); err != nil || seen != "b" {
		t.Fatalf("with: %v %v", seen, err)
	}
	if err := r.Release(a); err != nil {
		t.Fatal(err)
	}
	if err := r.Release(a); !errors.Is(err, ErrUnknown) {
		t.Fatalf("double release: %v", err)
	}
	if err := r.With(a, func(any) error { return nil }); !errors.Is(err, ErrUnknown) {
		t.Fatalf("use after release: %v", err)
	}
	for _, forged := range []int64{0, -1, 1 << 62} {
		if err := r.With(forged, func(any) error { return nil }); !errors.Is(err, ErrUnknown) {
			t.Fatalf("forged handle %d: %v", forged, err)
		}
	}
	if r.Len() != 1 {
		t.Fatalf("len %d", r.Len())
	}
}

func TestConcurrentUseAndRelease(t *testing.T) {
	r := NewRegistry(1 << 16)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				h, err := r.Put(i)
				if err != nil {
					t.Error(err)
					return
				}
				go r.Release(h) // races with the With below: either outcome is fine, a crash is not
				_ = r.With(h, func(v any) error {
					if v.(int) != i {
						t.Errorf("handle %d holds %v, want %d", h, v, i)
					}
					return nil
				})
			}
		}()
	}
	wg.Wait()
}

// Calls on a shared handle overlap: the second With runs while the first is
// still inside fn. Calls on an ordinary handle wait for each other.
func TestSharedHandlesOverlap(t *testing.T) {
	r := NewRegistry(4)
	shared, _ := r.PutShared("verifier")
	exclusive, _ := r.Put("prover")

	// hold starts a call on h that stays inside fn until leave is closed.
	hold := func(h int64) (leave chan struct{}) {
		inside, leave := make(chan struct{}), make(chan struct{})
		go r.With(h, func(any) error { close(inside); <-leave; return nil })
		<-inside
		return leave
	}

	leave := hold(shared)
	if err := r.With(shared, func(any) error { return nil }); err != nil {
		t.Fatalf("second call on a shared handle: %v", err)
	}
	close(leave)

	leave = hold(exclusive)
	second := make(chan struct{})
	go func() { r.With(exclusive, func(any) error { return nil }); close(second) }()
	select {
	case <-second:
		t.Fatal("two calls on one ordinary handle overlapped")
	case <-time.After(50 * time.Millisecond):
	}
	close(leave)
	<-second
}

// Release of a shared handle waits for the calls in flight, and later calls
// find it released.
func TestReleaseWaitsForSharedCalls(t *testing.T) {
	r := NewRegistry(4)
	h, _ := r.PutShared("verifier")
	inside, leave := make(chan struct{}), make(chan struct{})
	var seen any
	go r.With(h, func(v any) error { close(inside); <-leave; seen = v; return nil })
	<-inside

	released := make(chan error)
	go func() { released <- r.Release(h) }()
	select {
	case <-released:
		t.Fatal("Release returned while a call was still using the value")
	case <-time.After(50 * time.Millisecond):
	}
	close(leave)
	if err := <-released; err != nil {
		t.Fatal(err)
	}
	if seen != "verifier" {
		t.Fatalf("the call in flight saw %v", seen)
	}
	if err := r.With(h, func(any) error { return nil }); !errors.Is(err, ErrUnknown) {
		t.Fatalf("call after release: %v", err)
	}
}
