package org.peft4j.bench.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} block of the README and of {@code docs/} compiles against the current code, so that what a newcomer copies
 * works. A block with {@code import} lines must compile with exactly those imports (the quick start is a
 * complete example); an excerpt without imports gets {@link #EXCERPT_IMPORTS}. Statements are compiled as the
 * body of a method whose parameters are the variables the README names in a comment right above the block,
 * {@code <!-- snippet context: DataSetIterator trainIterator, int epochs -->}; a block that declares a class is
 * compiled as it is; a block starting with {@code .layer(} is a step of DL4J's list builder.
 */
class ReadmeSnippetsTest {

    static final List<String> EXCERPT_IMPORTS = List.of("java.io.*", "java.nio.file.*", "java.util.*",
            "org.deeplearning4j.nn.conf.*", "org.deeplearning4j.nn.conf.layers.*", "org.deeplearning4j.nn.graph.*",
            "org.deeplearning4j.nn.multilayer.*", "org.deeplearning4j.zoo.PretrainedType",
            "org.deeplearning4j.zoo.model.VGG16", "org.nd4j.linalg.activations.Activation",
            "org.nd4j.linalg.api.ndarray.INDArray", "org.nd4j.linalg.dataset.api.iterator.DataSetIterator",
            "org.nd4j.linalg.factory.Nd4j", "org.nd4j.linalg.learning.config.Adam", "org.peft4j.*", "org.peft4j.io.*",
            "org.peft4j.spi.*", "org.peft4j.lora.*", "org.peft4j.colora.*", "org.peft4j.colora3d.*",
            "org.peft4j.tcurlora.*", "org.peft4j.clora.*", "org.peft4j.conv3d.*", "org.peft4j.backbones.*",
            "org.peft4j.backbones.weights.*", "org.peft4j.backbones.preprocessing.*",
            "org.peft4j.backbones.pretraining.*", "org.peft4j.bench.volumetric.*");

    private static final Pattern BLOCK = Pattern.compile("(?:<!-- snippet context: ([^>]*?) -->\\s*\\n)?```java\\n(.*?)```",
            Pattern.DOTALL);
    private static final Pattern TYPE = Pattern.compile("^(?:public )?(?:final )?(?:class|record|interface) (\\w+)",
            Pattern.MULTILINE);

    @TempDir
    Path out;

    @Test
    void everyJavaBlockOfTheReadmeAndTheDocsCompiles() throws IOException {
        List<JavaFileObject> sources = new ArrayList<>();
        List<Path> documents = new ArrayList<>(List.of(Path.of("..", "README.md")));
        try (Stream<Path> docs = Files.walk(Path.of("..", "docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        for (Path document : documents) {
            String text = Files.readString(document);
            String prefix = document.getFileName().toString().replaceAll("[^A-Za-z0-9]", "_");
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                int line = (int) text.substring(0, m.start(2)).lines().count() + 1;
                sources.add(source(prefix + "_line" + line, m.group(1), m.group(2)));
            }
        }
        assertThat(sources).as("java blocks in the README and docs").hasSizeGreaterThanOrEqualTo(10);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        boolean ok = javac.getTask(log, null, diagnostics, List.of("-proc:none", "-d", out.toString(), "-classpath",
                System.getProperty("java.class.path")), null, sources).call();

        List<String> errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).toList();
        assertThat(errors).as("snippets that do not compile (named by document and line of the block)").isEmpty();
        assertThat(ok).isTrue();
    }

    /** The block as a compilation unit named {@code name} (or its declared type's name). */
    private static JavaFileObject source(String name, String context, String block) {
        List<String> imports = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (String line : block.split("\n", -1)) {
            if (line.startsWith("import ")) {
                imports.add(line);
            } else {
                body.append(line).append('\n');
            }
        }
        if (imports.isEmpty()) {
            EXCERPT_IMPORTS.forEach(i -> imports.add("import " + i + ";"));
        }
        String code = body.toString().strip();
        Matcher type = TYPE.matcher(code);
        String unit;
        String className = name;
        if (type.find() && type.start() == 0) {
            className = type.group(1);
            unit = code;
        } else {
            String statements = code.startsWith(".layer(")
                    ? "Object listBuilder = new NeuralNetConfiguration.Builder().list()\n" + code + ";" : code;
            unit = "class " + name + " {\n  void run(" + (context == null ? "" : context) + ") throws Exception {\n"
                    + statements + "\n  }\n}";
        }
        String text = String.join("\n", imports) + "\n\n" + unit + "\n";
        return new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }

            @Override
            public String getName() {
                return name;
            }
        };
    }
}
