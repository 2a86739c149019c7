/**
 * Toxiproxy 2.x's REST API over the JDK's HTTP server: routing, request decoding with Go's
 * leniencies (no Content-Type check, case-insensitive keys, {@code null} keeps the default),
 * JSON representations in Go's key order, and {@code {"error","status"}} error bodies.
 */
package dev.resilienthttp.faults.internal.api;
