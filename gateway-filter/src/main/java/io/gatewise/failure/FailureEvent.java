package io.gatewise.failure;

/**
 * An upstream failure together with the request it ended.
 *
 * @param failure the failure
 * @param method the request method
 * @param path the request path, without the query
 * @param client the client's address
 */
public record FailureEvent(UpstreamFailure failure, String method, String path, String client) {
}
