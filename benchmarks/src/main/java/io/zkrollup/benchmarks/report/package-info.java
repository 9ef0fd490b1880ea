/** How benchmark results are written out. */
package io.zkrollup.benchmarks.report;
