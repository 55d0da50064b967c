package io.gatewise.upstream;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted round robin that interleaves: with weights 5, 1, 1 the order is a a b a c a a, not
 * a a a a a b c. Each pick adds every candidate's weight to its running score, takes the highest,
 * and takes the total back from it (the scheme nginx uses).
 */
final class SmoothWeightedRoundRobin implements LoadBalancer {
    private final Map<Endpoint, Integer> scores = new IdentityHashMap<>();

    @Override
    public synchronized Endpoint pick(List<Endpoint> candidates) {
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
