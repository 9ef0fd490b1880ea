package io.zkrollup.aggregator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A native job ({@code zkrollup circuit} in a child JVM) that native code ends: the fault-injection
 * build of libzkprover panics on a goroutine of its own inside the compilation, which ends the child
 * the way running out of memory would. The caller gets an outcome that says the command did not
 * finish and why, and goes on; the next job compiles normally.
 */
class NativeJobIT {

  @TempDir Path dir;

  @Test
  void aChildEndedByNativeCodeIsToldApartFromACommandThatFinished() throws Exception {
    Path faultLibrary = Path.of(System.getProperty("zkrollup.test.faultinject.library", "missing"));
    assertThat(faultLibrary).as("the fault-injection build of libzkprover (the prover-native module builds it for tests)").exists();
    Path trigger = Files.createFile(dir.resolve("fault-once"));
    List<String> jvm = List.of("-Dzkprover.library.path=" + faultLibrary);
    List<String> args = List.of("circuit", "--slots", "1", "--depth", "2");
    Map<String, String> env = Map.of("ZKPROVER_FAULT_ONCE_FILE", trigger.toString());

    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();
    NativeJob.Outcome crashed = NativeJob.run(jvm, env, args, out::add, err::add);
    assertThat(crashed.finished()).as("the command did not choose its exit status").isFalse();
    assertThat(crashed.exitStatus()).as("SIGABRT: the Go runtime aborted the child JVM").isEqualTo(134);
    assertThat(crashed.fatalLine()).hasValueSatisfying(l -> assertThat(l).startsWith("panic: fault injection"));
    assertThat(crashed.crash()).contains("signal 6").contains("panic: fault injection");
    assertThat(err).as("the goroutine dump after the panic is not relayed line by line").noneMatch(l -> l.startsWith("goroutine "));
    assertThat(trigger).as("the fault fired").doesNotExist();

    NativeJob.Outcome normal = NativeJob.run(jvm, env, args, out::add, err::add);
    assertThat(normal.succeeded()).as(String.join("\n", normal.tail())).isTrue();
    assertThat(out).anyMatch(l -> l.matches("constraints +[0-9,]+"));

    NativeJob.Outcome refused = NativeJob.run(List.of(), Map.of(), List.of("circuit", "--slots", "1", "--depth", "33"), out::add, err::add);
    assertThat(refused.finished()).as("a refusal is a finished command").isTrue();
    assertThat(refused.exitStatus()).isEqualTo(2);
  }
}
