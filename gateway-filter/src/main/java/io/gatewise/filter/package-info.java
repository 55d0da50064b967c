/**
 * The servlet contract: {@link io.gatewise.filter.FailureCauseFilter}, which classifies and records
 * what an application's own servlets fail with (a database that refuses, an upstream called from
 * code) into the request attributes of {@link io.gatewise.answer.FailureAttributes}, and answers it
 * through the web application's {@link io.gatewise.answer.FailureRecorder}; and
 * {@link io.gatewise.filter.ErrorPageServlet}, the error page an operator can map in
 * {@code web.xml}.
 */
package io.gatewise.filter;
