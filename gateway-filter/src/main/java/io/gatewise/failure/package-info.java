/**
 * Why a request could not be served from its upstream, in the vocabulary of RFC 9209.
 *
 * <p>{@link io.gatewise.failure.FailureClassifier} turns an exception chain and the phase the
 * exchange had reached into a {@link io.gatewise.failure.Classification}: one of the
 * {@link io.gatewise.failure.ProxyErrorType}s with its status, the {@link io.gatewise.failure.FailureCause}
 * a person recognises and the {@link io.gatewise.failure.Phase}. An
 * {@link io.gatewise.failure.UpstreamFailure} is the full record of one failed request, and
 * {@link io.gatewise.failure.ProxyStatus} writes it as a {@code Proxy-Status} header.
 */
package io.gatewise.failure;
