/**
 * The admin listener: health probes ({@code /livez}, {@code /readyz}), metrics, the admin API
 * ({@code /admin/*}: upstream states with the why, maintenance, draining, DNS flush, config reload,
 * recent failures) and the status page. Everything but the probes needs the admin token; every
 * action is written to the audit log.
 */
package io.gatewise.admin;
