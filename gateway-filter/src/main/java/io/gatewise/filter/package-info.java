/**
 * The servlet contract: the failure filter, the request attributes in
 * {@link io.gatewise.filter.FailureAttributes} that tell logs, metrics, error pages, JSPs and
 * other filters why a request failed, who sees the operator view, the
 * {@link io.gatewise.filter.FailureRecorder} published on the servlet context, and
 * {@link io.gatewise.filter.FailureResponses}, the one place that answers a failure.
 */
package io.gatewise.filter;
