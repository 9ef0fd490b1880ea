package io.zkrollup.statetree.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.statetree.field.FrMath;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NodeMapTest {

  @Test
  void behavesLikeAHashMapUnderRandomPutsAndRemoves() {
    SplittableRandom random = new SplittableRandom(8);
    NodeMap map = new NodeMap();
    Map<Long, Long> reference = new HashMap<>();
    long[] buf = new long[FrMath.LIMBS];
    for (int step = 0; step < 200_000; step++) {
      long key = random.nextLong(step % 2 == 0 ? 500 : Long.MAX_VALUE); // dense and sparse keys
      int op = random.nextInt(3);
      if (op < 2) {
        long v = random.nextLong();
        map.put(key, new long[] {v, v + 1, v + 2, v + 3, v + 4}, 0);
        reference.put(key, v);
      } else {
        map.remove(key);
        reference.remove(key);
      }
      if (step % 1000 == 0) {
        assertThat(map.size()).isEqualTo(reference.size());
      }
    }
    assertThat(map.size()).isEqualTo(reference.size());
    for (Map.Entry<Long, Long> e : reference.entrySet()) {
      assertThat(map.get(e.getKey(), buf, 0)).isTrue();
      long v = e.getValue();
      assertThat(buf).containsExactly(v, v + 1, v + 2, v + 3, v + 4);
    }
    Map<Long, Long> visited = new HashMap<>();
    map.forEach((key, limbs, offset) -> visited.put(key, limbs[offset]));
    assertThat(visited).isEqualTo(reference);
    for (long k = 0; k < 500; k++) {
      assertThat(map.contains(k)).isEqualTo(reference.containsKey(k));
    }
    map.clear();
    assertThat(map.size()).isZero();
    assertThat(map.get(1, buf, 0)).isFalse();
    assertThatThrownBy(() -> map.put(-1, buf, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
