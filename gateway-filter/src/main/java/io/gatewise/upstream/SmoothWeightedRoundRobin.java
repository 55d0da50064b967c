package io.gatewise.upstream;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weighted round robin that interleaves: with weights 5, 1, 1 the order is a a b a c a a, not
 * a a a a a b c. Each pick adds every candidate's weight to its running score, takes the highest,
 * and takes the total back from it (the scheme nginx uses). Candidates of equal weight (the
 * common case) take turns by one shared counter instead, with no lock: the same order, and no
 * request waits for another's pick.
 */
final class SmoothWeightedRoundRobin implements LoadBalancer {
    private final Map<Endpoint, Integer> scores = new IdentityHashMap<>();
    private final AtomicLong turns = new AtomicLong();

    @Override
    public Endpoint pick(List<Endpoint> candidates) {
        if (equalWeights(candidates)) {
            return candidates.get((int) Math.floorMod(turns.getAndIncrement(), (long) candidates.size()));
        }
        return weighted(candidates);
    }

    private static boolean equalWeights(List<Endpoint> candidates) {
        int weight = candidates.get(0).weight();
        for (int i = 1; i < candidates.size(); i++) {
            if (candidates.get(i).weight() != weight) {
                return false;
            }
        }
        return true;
    }

    private synchronized Endpoint weighted(List<Endpoint> candidates) {
        Endpoint best = null;
        int bestScore = Integer.MIN_VALUE;
        int total = 0;
        for (Endpoint candidate : candidates) {
            int score = scores.getOrDefault(candidate, 0) + candidate.weight();
            scores.put(candidate, score);
            total += candidate.weight();
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        scores.put(best, bestScore - total);
        return best;
    }
}
