package io.gatewise.proxy;

import io.gatewise.answer.FailureRecorder;
import io.gatewise.config.GatewayConfig;
import io.gatewise.route.RouteTable;

/**
 * What a request runs on, from its start to its end: a reload builds the next one to the side and
 * swaps it in at once, while requests in flight finish on theirs.
 *
 * @param config the configuration
 * @param routes its routes, with their pools
 * @param recorder records and answers failures
 * @param forwarding sets the headers that tell upstreams who the client is
 */
public record Snapshot(GatewayConfig config, RouteTable routes, FailureRecorder recorder,
        ForwardingHeaders forwarding) {
}
