/**
 * The gateway's side of each upstream exchange: the HTTP clients towards the upstreams, one per
 * distinct {@link io.gatewise.client.ClientSettings}; the resolver that names DNS failures and
 * refuses prohibited addresses; the {@link io.gatewise.client.DnsCache}; and the
 * {@link io.gatewise.client.ExchangeTracker} that follows each exchange through its phases.
 */
package io.gatewise.client;
