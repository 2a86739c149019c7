/**
 * Which in-JVM servers are running, for the published test kit's leak check
 * ({@code dev.resilienthttp.testkit.LeakCheck}): exported to that module only, never to users.
 */
package dev.resilienthttp.faults.internal.live;
