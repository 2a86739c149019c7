package dev.resilienthttp.faults;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a Toxiproxy: shorthand for
 * {@code @ExtendWith(ToxiproxyExtension.class)}. Declare {@code ToxiproxyClient} or
 * {@link ToxiproxyEndpoint} parameters on the constructor, {@code @BeforeEach} or test methods.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ToxiproxyExtension.class)
public @interface ToxiproxyTest {
}
