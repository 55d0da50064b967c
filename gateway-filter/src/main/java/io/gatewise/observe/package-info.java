/** Watching the gateway: the failure log, and later metrics and alerts. */
package io.gatewise.observe;
