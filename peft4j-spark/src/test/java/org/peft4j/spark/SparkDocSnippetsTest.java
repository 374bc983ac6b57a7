package org.peft4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java blocks of {@code docs/spark.md} compile against this module. They are fenced {@code ```java spark}, so
 * that the benchmarks module's check of every {@code ```java} block (whose class path has no Spark) leaves them to
 * this test. Each block is the body of a method whose parameters are named in the comment right above it,
 * {@code <!-- snippet context: JavaSparkContext sc, ... -->}.
 */
class SparkDocSnippetsTest {

    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!-- snippet context: ([^\n]*?) -->\\s*\\n)?```java spark\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = String.join("\n", "import java.util.*;",
            "import org.apache.spark.api.java.*;", "import org.deeplearning4j.nn.graph.*;",
            "import org.deeplearning4j.nn.multilayer.*;", "import org.nd4j.linalg.dataset.DataSet;",
            "import org.peft4j.*;", "import org.peft4j.spark.*;");

    @TempDir
    Path out;

    @Test
    void everyJavaBlockOfTheSparkDocumentCompiles() throws IOException {
        String text = Files.readString(Path.of("..", "docs", "spark.md"));
        List<JavaFileObject> sources = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String name = "spark_md_block" + sources.size();
            String parameters = m.group(1) == null ? "" : m.group(1);
            sources.add(new Source(name, IMPORTS + "\nclass " + name + " {\n void run(" + parameters
                    + ") throws Exception {\n" + m.group(2) + "\n }\n}\n"));
        }
        assertThat(sources).as("java spark blocks in docs/spark.md").isNotEmpty();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        javac.getTask(null, null, diagnostics, List.of("-proc:none", "-d", out.toString(), "-classpath",
                System.getProperty("java.class.path")), null, sources).call();
        List<String> errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).toList();
        assertThat(errors).as("docs/spark.md blocks that do not compile").isEmpty();
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String name, String code) {
            super(URI.create("string:///" + name + ".java"), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
