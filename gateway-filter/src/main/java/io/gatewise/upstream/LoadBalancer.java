package io.gatewise.upstream;

import io.gatewise.config.LoadBalancingConfig;
import java.util.List;
import java.util.random.RandomGenerator;

/** Picks the endpoint for one attempt among the candidates. Implementations are thread-safe. */
interface LoadBalancer {
    /**
     * @param candidates the endpoints that may take the attempt; never empty
     * @return one of them
     */
    Endpoint pick(List<Endpoint> candidates);

    /**
     * @param policy the configured policy
     * @param random the random source, for least-in-flight (a fixed seed in tests)
     * @return the balancer
     */
    static LoadBalancer of(LoadBalancingConfig policy, RandomGenerator random) {
        return policy == LoadBalancingConfig.LEAST_IN_FLIGHT ? new LeastInFlight(random) : new SmoothWeightedRoundRobin();
    }
}
