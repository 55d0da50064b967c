/**
 * The demo: a gateway in front of one healthy echo service and a set of upstreams that fail on
 * purpose, one per failure the gateway can stage on this machine.
 */
package io.gatewise.demo;
