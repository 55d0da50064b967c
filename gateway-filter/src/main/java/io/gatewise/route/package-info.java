/**
 * The route model of one configuration generation: {@link io.gatewise.route.Route} (its pool, retry
 * budget, client settings, maintenance flag and the {@code RouteHandle} its exchange records are
 * read through), {@link io.gatewise.route.RouteTable} and its trie for the lookup by path. A
 * reload builds a new table that carries over what each kept route was doing.
 */
package io.gatewise.route;
