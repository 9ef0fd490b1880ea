// Command provebench is the pure-Go side of the benchmarks' bench command: it
// loads a key directory, then proves one batch witness each time it is asked,
// so the bench command can alternate the same prove through JNI and here and
// measure what the bridge costs.
//
//	provebench -keys DIR -witness FILE [-gpu]
//
// Protocol (one JSON object per line on stdout):
//
//	start        → {"loadMs":…}
//	"prove\n"    → {"proveMs":…,"cpuMs":…,"minorFaults":…}
//	"quit\n"/EOF → {"maxRssKb":…} and exit 0
//
// Any error is printed as {"error":"…"} and exits 1.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/zkrollup/prover/native/proving"
)

func main() {
	keysDir := flag.String("keys", "", "key directory written by the setup")
	witnessFile := flag.String("witness", "", "ZKBW witness bytes of one batch")
	gpu := flag.Bool("gpu", false, "prove Groth16 on the GPU (icicle build only)")
	flag.Parse()
	out := json.NewEncoder(os.Stdout)
	fail := func(err error) {
		_ = out.Encode(map[string]string{"error": err.Error()})
		os.Exit(1)
	}

	witness, err := os.ReadFile(*witnessFile)
	if err != nil {
		fail(err)
	}
	start := time.Now()
	keys, err := proving.Load(*keysDir)
	if err != nil {
		fail(err)
	}
	if *gpu {
		if err := keys.UseGPU(); err != nil {
			fail(err)
		}
	}
	_ = out.Encode(map[string]float64{"loadMs": ms(time.Since(start))})

	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		switch strings.TrimSpace(in.Text()) {
		case "prove":
			before := usage()
			start := time.Now()
			if _, _, err := keys.Prove(witness); err != nil {
				fail(err)
			}
			wall := time.Since(start)
			after := usage()
			// Same three figures the JVM side takes around its JNI call, so the
			// report can tell extra work (CPU, page faults) from waiting.
			_ = out.Encode(map[string]float64{
				"proveMs":     ms(wall),
				"cpuMs":       ms(cpuTime(after) - cpuTime(before)),
				"minorFaults": float64(after.Minflt - before.Minflt),
			})
		case "quit":
			report(out)
			return
		}
	}
	report(out)
}

func report(out *json.Encoder) {
	_ = out.Encode(map[string]int64{"maxRssKb": usage().Maxrss})
}

func usage() syscall.Rusage {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru
}

// cpuTime is user plus system time of the whole process.
func cpuTime(ru syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
