/**
 * {@link dev.resilienthttp.core.ResilientHttpClient}: the JDK {@code HttpClient} with connection hygiene,
 * failure classification and a flat failure report.
 *
 * <h2>Contracts that hold for the whole package</h2>
 * <ul>
 *   <li><b>Attempts are 1-based.</b> The first network attempt of a call is attempt 1; retries = attempts &minus; 1.
 *       Every count in this library ({@link dev.resilienthttp.core.FailureReport#attempts()}, listener events,
 *       log fields, dead-letter headers) uses this numbering.</li>
 *   <li><b>Times are {@link java.time.Duration}s</b>, never raw numbers. Elapsed times are measured on a
 *       monotonic source; wall-clock instants come from the injected {@link java.time.Clock}.</li>
 *   <li><b>Nothing is null</b> unless a method says it may be: arguments are checked and a {@code null} is
 *       refused with a {@link java.lang.NullPointerException} naming the argument.</li>
 *   <li><b>A call ends exactly once</b>: with the response the policy calls a success, or with an
 *       {@link dev.resilienthttp.core.HttpFailureException} whose report holds every attempt. Four ends are not
 *       failures of the remote call and carry no report: an interrupt ({@link java.lang.InterruptedException}),
 *       a cancelled {@code sendAsync}, a client closed under the call ({@link ClientClosedException}, an
 *       {@link java.lang.IllegalStateException}), and a {@link java.lang.RuntimeException} or {@link java.lang.Error}
 *       thrown by the caller's body handler, its body subscriber or the request's body, which ends the call as
 *       itself, not retried: it is a bug in the caller's code, not a failure of the network.</li>
 * </ul>
 */
package dev.resilienthttp.core;
