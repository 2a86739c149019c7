package dev.resilienthttp.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's Quick start compiles as written, against the modules it names, with the project's own lint. */
class QuickStartCompilesTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void theQuickStartSnippetCompilesAsWritten(@TempDir Path dir) throws IOException {
        String snippet = quickStartJava(Files.readString(README, StandardCharsets.UTF_8));
        Path source = dir.resolve("QuickStart.java");
        Files.writeString(source, snippet, StandardCharsets.UTF_8);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled;
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null,
                StandardCharsets.UTF_8)) {
            compiled = compiler.getTask(null, files, diagnostics,
                    List.of("--release", "17", "-Xlint:all", "-Werror", "-d", dir.toString(),
                            "-classpath", System.getProperty("java.class.path")),
                    null, files.getJavaFileObjects(source)).call();
        }

        assertThat(diagnostics.getDiagnostics()).as("the compiler's messages").isEmpty();
        assertThat(compiled).isTrue();
        assertThat(dir.resolve("QuickStart.class")).exists();
    }

    /** The first Java block of the "## Quick start" section. */
    private static String quickStartJava(String readme) {
        int section = readme.indexOf("\n## Quick start\n");
        assertThat(section).as("the README has a Quick start").isNotNegative();
        int next = readme.indexOf("\n## ", section + 1);
        String text = readme.substring(section, next < 0 ? readme.length() : next);
        int open = text.indexOf("```java\n");
        assertThat(open).as("the Quick start has a Java block").isNotNegative();
        int close = text.indexOf("\n```", open + 8);
        return text.substring(open + 8, close + 1);
    }
}
