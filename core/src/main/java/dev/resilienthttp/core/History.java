package dev.resilienthttp.core;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * What a call has done so far, and the only state it keeps about it: replaced at each step, never changed, so a
 * reader on any thread sees one consistent picture and a failure is built from one snapshot.
 *
 * @param attempts          attempts started so far
 * @param timeline          the failed attempts, in order
 * @param transportFailures what the JDK threw for each transport failure, in order
 * @param lastFailure       the latest failed attempt and what came with it, or {@code null} if none failed yet
 */
record History(int attempts, List<FailureReport.Attempt> timeline, List<IOException> transportFailures,
               LastFailure lastFailure) {

    /**
     * The latest failed attempt: its report entry, and the exception, or the response and the start of its body.
     *
     * @param attempt    its entry in the timeline
     * @param exception  the transport failure, or {@code null} for a status failure
     * @param response   the failed response, or {@code null} for a transport failure
     * @param bodyPrefix the start of the failed response's body, or {@code ""}
     */
    record LastFailure(FailureReport.Attempt attempt, IOException exception, HttpResponse<?> response,
                       String bodyPrefix) {
    }

    /** A call before its first attempt. */
    static final History NONE = new History(0, List.of(), List.of(), null);

    /** One more attempt started. */
    History started() {
        return new History(attempts + 1, timeline, transportFailures, lastFailure);
    }

    /** The attempt {@code attempt} describes failed in transport with {@code exception}. */
    History failedInTransport(FailureReport.Attempt attempt, IOException exception) {
        return new History(attempts, plus(timeline, attempt), plus(transportFailures, exception),
                new LastFailure(attempt, exception, null, ""));
    }

    /** The attempt {@code attempt} describes got {@code response}, which the policy calls a failure. */
    History failedWithStatus(FailureReport.Attempt attempt, HttpResponse<?> response, String bodyPrefix) {
        return new History(attempts, plus(timeline, attempt), transportFailures,
                new LastFailure(attempt, null, response, bodyPrefix));
    }

    /** Whether attempt {@code number} comes right after one that met a stale connection. */
    boolean followsStaleConnection(int number) {
        return lastFailure != null && lastFailure.attempt().number() == number - 1
                && lastFailure.attempt().kind() == FailureKind.STALE_CONNECTION;
    }

    private static <E> List<E> plus(List<E> list, E element) {
        List<E> longer = new ArrayList<>(list.size() + 1);
        longer.addAll(list);
        longer.add(element);
        return List.copyOf(longer);
    }
}
