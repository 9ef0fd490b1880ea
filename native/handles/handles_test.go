package handles

import (
	"errors"
	"sync"
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
