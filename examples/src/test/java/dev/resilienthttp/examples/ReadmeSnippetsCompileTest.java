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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java block of the README compiles as written, against the modules it names, with the project's own lint: a
 * user can copy any of them. A block is a whole source file (imports and one top-level class), never a fragment.
 */
class ReadmeSnippetsCompileTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)\n```", Pattern.DOTALL);
    private static final Pattern TOP_CLASS = Pattern.compile("^(?:public )?(?:final )?class (\\w+)", Pattern.MULTILINE);

    @Test
    void everyJavaBlockOfTheReadmeCompilesAsWritten(@TempDir Path dir) throws IOException {
        List<Path> sources = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(Files.readString(README, StandardCharsets.UTF_8));
        while (block.find()) {
            String snippet = block.group(1) + "\n";
            Matcher name = TOP_CLASS.matcher(snippet);
            assertThat(name.find()).as("a README Java block is a whole file with a top-level class:%n%s", snippet)
                    .isTrue();
            Path source = dir.resolve(name.group(1) + ".java");
            assertThat(source).as("two README blocks declare class %s", name.group(1)).doesNotExist();
            Files.writeString(source, snippet, StandardCharsets.UTF_8);
            sources.add(source);
        }
        assertThat(sources).as("the README's Java blocks (Quick start, metrics, tracing, JMX, Kafka, testkit…)")
                .hasSizeGreaterThanOrEqualTo(5);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled;
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null,
                StandardCharsets.UTF_8)) {
            compiled = compiler.getTask(null, files, diagnostics,
                    List.of("--release", "17", "-Xlint:all", "-Werror", "-proc:none", "-d", dir.toString(),
                            "-classpath", System.getProperty("java.class.path")),
                    null, files.getJavaFileObjects(sources.toArray(Path[]::new))).call();
        }

        assertThat(diagnostics.getDiagnostics()).as("the compiler's messages").isEmpty();
        assertThat(compiled).isTrue();
        for (Path source : sources) {
            String name = source.getFileName().toString().replace(".java", ".class");
            assertThat(dir.resolve(name)).exists();
        }
    }
}
