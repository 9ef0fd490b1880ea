/**
 * Child processes of the node: the prover workers it runs on its own machine, and the native jobs
 * (key setup, circuit compilation) that can end the process they run in. Native code that fails
 * hard — a Go fatal error, a panic on one of gnark's goroutines, running out of memory — then ends
 * only that child, never the node.
 */
package io.zkrollup.aggregator.process;
