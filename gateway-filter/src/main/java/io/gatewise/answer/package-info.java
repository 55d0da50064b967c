/**
 * The one place a failure is answered, and recorded into the request's attributes:
 * {@link io.gatewise.answer.FailureResponses} writes the status, {@code Proxy-Status},
 * {@code Cache-Control}, {@code Retry-After}, {@code Vary} and the page in the negotiated format and
 * language; {@link io.gatewise.answer.FailureRecorder} sets the attributes
 * ({@link io.gatewise.answer.FailureAttributes}, the filter's public contract) and carries the
 * readers an application's own failure goes to. {@link io.gatewise.answer.OperatorAccess} decides
 * who sees the operator's view.
 */
package io.gatewise.answer;
