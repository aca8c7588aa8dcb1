package dev.oasisj.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The registry's persistent map against {@link TreeMap} as the model, and its balance under adversarial key orders. */
class PersistentSortedMapTest {

    private static void sameAsModel(TreeMap<Integer, Integer> model, PersistentSortedMap<Integer, Integer> map) {
        assertEquals(model.size(), map.size());
        assertEquals(new ArrayList<>(model.keySet()), map.keys());
        assertEquals(new ArrayList<>(model.values()), map.values());
        assertTrue(map.isBalanced(), "not an AVL tree");
        // AVL: height <= 1.44 log2(n + 2)
        assertTrue(map.height() <= 1.45 * (Math.log(map.size() + 2) / Math.log(2)), "height " + map.height()
                + " for " + map.size() + " entries");
    }

    @Test
    void randomPutsAndRemoves_matchATreeMap_andOldVersionsStayUnchanged() {
        SplittableRandom random = new SplittableRandom(5);
        TreeMap<Integer, Integer> model = new TreeMap<>();
        PersistentSortedMap<Integer, Integer> map = PersistentSortedMap.empty();
        List<TreeMap<Integer, Integer>> oldModels = new ArrayList<>();
        List<PersistentSortedMap<Integer, Integer>> oldMaps = new ArrayList<>();
        for (int step = 0; step < 5000; step++) {
            int key = random.nextInt(300);
            if (random.nextInt(3) == 0) {
                model.remove(key);
                map = map.without(key);
            } else {
                model.put(key, step);
                map = map.with(key, step);
            }
            assertEquals(model.get(key), map.get(key));
            assertEquals(model.containsKey(key), map.containsKey(key));
            if (step % 250 == 0) {
                oldModels.add(new TreeMap<>(model));
                oldMaps.add(map);
            }
            assertTrue(map.isBalanced(), "not an AVL tree after step " + step);
            if (step % 50 == 0) {
                sameAsModel(model, map);
            }
        }
        for (int i = 0; i < oldMaps.size(); i++) {
            sameAsModel(oldModels.get(i), oldMaps.get(i));
        }
    }

    @Test
    void ascendingAndDescendingInsertions_stayBalanced_andRemovingAnAbsentKeyReturnsTheSameMap() {
        PersistentSortedMap<Integer, Integer> up = PersistentSortedMap.empty();
        PersistentSortedMap<Integer, Integer> down = PersistentSortedMap.empty();
        TreeMap<Integer, Integer> model = new TreeMap<>();
        for (int i = 0; i < 10_000; i++) {
            up = up.with(i, i);
            down = down.with(-i, i);
            model.put(i, i);
        }
        sameAsModel(model, up);
        assertTrue(down.height() <= 20, "height " + down.height());
        assertSame(up, up.without(-1));
        for (int i = 0; i < 10_000; i += 2) {
            up = up.without(i);
            model.remove(i);
        }
        sameAsModel(model, up);
    }
}
