package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/zkrollup/prover/native/proving"
)

// A circuit too large for the machine's memory ends its process with a Go
// fatal error (or the kernel's OOM kill) long before gnark returns. The node
// and the CLI compile and set up circuits in a child process for that reason;
// this estimate answers RESOURCE_EXHAUSTED at once for sizes that cannot fit,
// instead of letting the child grow for minutes first. It is a lower bound
// built from measurements (docs/circuit-costs.md, "GKR Poseidon2" table and
// the bench's peak RSS), so it never refuses a circuit that would fit.
const (
	// R1CS constraints per slot: about 21k plus two Merkle paths' worth per
	// level (38.5k at D = 32, 37k at B = 1, D = 1 with the fixed part).
	r1csPerSlotBase  = 21_000
	r1csPerSlotLevel = 540
	// PLONK's SCS has about 2.2 times the R1CS constraints of the same circuit.
	plonkFactorTenths = 22
	// Peak bytes per constraint: compiling (5.2 GB for 10.0M R1CS at B = 256)
	// and setting up or proving (3.1 GB for 1.27M at B = 32).
	compileBytesPerConstraint = 500
	setupBytesPerConstraint   = 2_000
)

// checkMemory refuses (RESOURCE_EXHAUSTED) a circuit of b slots and depth d
// whose compilation, or setup when setup is true, needs more memory than the
// machine (or its cgroup) has.
func checkMemory(b, d int32, be proving.Backend, setup bool) error {
	constraints := uint64(b) * uint64(r1csPerSlotBase+r1csPerSlotLevel*int64(d))
	if be == proving.Plonk {
		constraints = constraints * plonkFactorTenths / 10
	}
	per, what := uint64(compileBytesPerConstraint), "compiling"
	if setup {
		per, what = setupBytesPerConstraint, "setting up"
	}
	need := constraints * per
	have := physicalMemory()
	if have == 0 || need <= have {
		return nil
	}
	return resourceExhausted(fmt.Errorf(
		"B=%d, D=%d (%s) is about %d million constraints; %s it needs at least %.1f GiB of memory and this machine has %.1f GiB",
		b, d, be, constraints/1_000_000, what, gib(need), gib(have)))
}

func gib(bytes uint64) float64 { return float64(bytes) / (1 << 30) }

// physicalMemory is the memory this process may use: the machine's, or its
// cgroup's limit if lower (a container). 0 if neither can be read.
func physicalMemory() uint64 {
	total := memTotal()
	if limit := cgroupLimit(); limit > 0 && (total == 0 || limit < total) {
		return limit
	}
	return total
}

func memTotal() uint64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseUint(fields[1], 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// cgroupLimit reads cgroup v2's memory.max ("max" means no limit).
func cgroupLimit() uint64 {
	b, err := os.ReadFile("/sys/fs/cgroup/memory.max")
	if err != nil {
		return 0
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0
	}
	return v
}
