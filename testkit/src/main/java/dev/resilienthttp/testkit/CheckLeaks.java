package dev.resilienthttp.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails each test of the class (or the test method) that leaves a connection, a JDK client thread, a Toxiproxy
 * server or a proxy open: {@code @ExtendWith(LeakCheck.class)}; {@link LeakCheck} says what it checks, how long it
 * waits and what it cannot see.
 *
 * <p>Put it <b>before</b> the extensions that close what a test opened, such as {@code @ToxiproxyTest}, which
 * deletes every proxy after each test: JUnit runs the after-each callbacks of the extensions declared first last,
 * so the check then runs after they have cleaned up.
 * <pre>{@code
 * @CheckLeaks
 * @ToxiproxyTest
 * class PaymentsClientTest { ... }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LeakCheck.class)
public @interface CheckLeaks {
}
