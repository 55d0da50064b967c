package io.gatewise.upstream;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The power of two choices: two candidates drawn at random in proportion to their weights, and the
 * one with fewer requests in flight takes the attempt. Close to the least loaded upstream at the
 * cost of two draws, without everyone herding onto the same "least loaded" one.
 */
final class LeastInFlight implements LoadBalancer {
    private final RandomGenerator random;

    LeastInFlight(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public Endpoint pick(List<Endpoint> candidates) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        int total = 0;
        for (Endpoint candidate : candidates) {
            total += candidate.weight();
        }
        int firstPoint;
        int secondPoint;
        synchronized (random) {
            firstPoint = random.nextInt(total);
            secondPoint = random.nextInt(total);
        }
        Endpoint first = at(candidates, firstPoint);
        Endpoint second = at(candidates, secondPoint);
        return second.inFlight() < first.inFlight() ? second : first;
    }

    /** @return the candidate whose share of the total weight holds the point */
    private static Endpoint at(List<Endpoint> candidates, int point) {
        for (Endpoint candidate : candidates) {
            point -= candidate.weight();
            if (point < 0) {
                return candidate;
            }
        }
        return candidates.get(candidates.size() - 1);
    }
}
