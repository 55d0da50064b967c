/**
 * The gateway's configuration: immutable records made with builders, and the loader that binds
 * a YAML file onto those same builders.
 *
 * <p>Every value is checked as it is set ({@link io.gatewise.config.ConfigException} names the
 * key and what was expected); rules that involve several values are checked in {@code build()}.
 * The loader adds the file, line and column to every message, so a bad file never starts a
 * half-working gateway.
 *
 * <p>The builders are the way in: a record's canonical constructor only copies its collections
 * and checks nothing. Each default is a {@code DEFAULT_} constant of its record, which the builder
 * starts from and the record's documentation shows.
 */
package io.gatewise.config;
