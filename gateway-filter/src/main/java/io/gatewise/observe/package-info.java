/**
 * What the gateway keeps of what it saw, read from each exchange record: the failure log and the
 * failure listeners ({@link io.gatewise.observe.FailureEvents}), the recent failures the admin API
 * shows, the traffic windows the status page and the alerts read, and the connections the
 * listener turned away.
 */
package io.gatewise.observe;
