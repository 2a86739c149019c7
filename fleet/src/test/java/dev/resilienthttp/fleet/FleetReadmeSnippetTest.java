package dev.resilienthttp.fleet;

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

/** The README section's setup snippet compiles as written, against the modules it names, with the project's lint. */
class FleetReadmeSnippetTest {
    private static final Path SECTION = Path.of("README-section.md");

    @Test
    void theSetupSnippetCompilesAsWritten(@TempDir Path dir) throws IOException {
        String text = Files.readString(SECTION, StandardCharsets.UTF_8);
        int open = text.indexOf("```java\n");
        assertThat(open).as("the section has a Java block").isNotNegative();
        String snippet = text.substring(open + 8, text.indexOf("\n```", open + 8) + 1);
        Path source = dir.resolve("ArticleEnricher.java");
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
        assertThat(dir.resolve("ArticleEnricher.class")).exists();
    }
}
