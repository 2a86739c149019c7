/**
 * Toxics: their wire types and attributes ({@link dev.resilienthttp.faults.internal.toxic.ToxicType},
 * {@link dev.resilienthttp.faults.internal.toxic.ToxicSpec}) and the stages that apply them to
 * one direction of one connection.
 *
 * <p>Units follow Toxiproxy: attributes are integers in the unit their name or the spec gives
 * (milliseconds, KB/s with 1 KB = 1000 B, bytes, slicer delay in microseconds). Times inside
 * stages are {@link System#nanoTime()} values passed in by the link, never read from a clock here.
 */
package dev.resilienthttp.faults.internal.toxic;
