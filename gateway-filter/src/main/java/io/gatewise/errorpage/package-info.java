/**
 * Error pages people and programs can act on: HTML for browsers, {@code application/problem+json}
 * (RFC 9457) for programs, plain text for curl; a visitor view and an operator view; English and
 * Simplified Chinese; built-in Mustache templates an operator can replace.
 */
package io.gatewise.errorpage;
