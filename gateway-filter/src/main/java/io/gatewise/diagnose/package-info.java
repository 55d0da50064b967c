/**
 * The troubleshooting steps an operator would run by hand when an upstream fails, run by the
 * gateway itself: resolve the name (the cached answer beside a fresh one), connect to each
 * address, shake hands over TLS and read the chain, and ask the upstream over HTTP. Each step is
 * timed with the route's own timeouts and settings; the first that fails ends the run, and the
 * verdict says it in the proxy's own RFC 9209 vocabulary, with the hints for it.
 *
 * <p>{@link io.gatewise.diagnose.Diagnostician} runs one diagnosis; {@link io.gatewise.diagnose.Diagnoses}
 * is a gateway's: rate-limited per upstream, run in the background when an upstream changes state,
 * the latest one per upstream kept; {@link io.gatewise.diagnose.DiagnosisReport} writes them as JSON
 * and as text.
 */
package io.gatewise.diagnose;
