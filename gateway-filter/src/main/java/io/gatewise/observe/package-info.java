/**
 * What the gateway keeps of what it saw, read from each exchange record: the failure log and the
 * failure listeners ({@link io.gatewise.observe.FailureEvents}), the recent failures the admin API
 * shows, the traffic windows the status page and the alerts read, the connections the
 * listener turned away, and the certificates the gateway's own TLS listeners serve.
 */
package io.gatewise.observe;
