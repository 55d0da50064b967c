/**
 * The failure filter and its public contract: the request attributes in
 * {@link io.gatewise.filter.FailureAttributes} that tell logs, metrics, error pages, JSPs and
 * other filters why a request failed.
 */
package io.gatewise.filter;
