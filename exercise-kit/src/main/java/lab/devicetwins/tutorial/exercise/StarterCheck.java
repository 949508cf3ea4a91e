package lab.devicetwins.tutorial.exercise;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Proves, from inside a step module's normal test run, what the reference build cannot show by itself: that the
 * starters in {@code src/starter/java} compile together with the tutorial app and the exercise tests, and that
 * every exercise test then fails for the right reason, an {@link UnsupportedOperationException} whose message
 * starts with the exercise id the test is tagged with ({@code @Tag("ex-01-1-ack-desired")}).
 *
 * <p>The starters are compiled with javac into {@code target/starter-check/classes} against the module's
 * dependencies only (not against {@code target/classes}, which holds the solutions), and the tests run there in
 * a class loader of their own, through the JUnit Platform launcher.
 */
public final class StarterCheck {

    /** How an exercise is named in tags and in the starters' messages: step, number, short name. */
    public static final Pattern EXERCISE_ID = Pattern.compile("ex-\\d{2}-\\d+-[a-z0-9-]+");

    private final Path module;

    private StarterCheck(Path module) {
        this.module = module.toAbsolutePath().normalize();
    }

    /** The module the tests run in (surefire's working directory). */
    public static StarterCheck ofThisModule() {
        return new StarterCheck(Path.of(""));
    }

    /** One exercise test (or a test class that could not run) and what went wrong with it, if anything. */
    public record Outcome(String kind, String name, List<String> tags, String status, String throwables) {

        /** Empty when the test failed with its own exercise's starter message. */
        public Optional<String> problem() {
            if (kind.equals("container")) {
                return Optional.of("the test class or engine failed before its tests ran: " + status + " " + throwables);
            }
            List<String> exercises = tags.stream().filter(tag -> EXERCISE_ID.matcher(tag).matches()).toList();
            if (exercises.size() != 1) {
                return Optional.of("is tagged with " + exercises.size() + " exercise ids " + exercises + "; tag it with exactly one");
            }
            String expected = UnsupportedOperationException.class.getName() + ": " + exercises.get(0) + ":";
            if (!status.equals("FAILED")) {
                return Optional.of("was " + status.toLowerCase(Locale.ROOT) + " on the starters; it must fail with \"" + expected + " …\"");
            }
            if (throwables.lines().noneMatch(line -> line.startsWith(expected))) {
                return Optional.of("failed for another reason than its starter (expected \"" + expected + " …\"): " + throwables);
            }
            return Optional.empty();
        }
    }

    /**
     * The files of {@code src/starter/java} and {@code src/solution/java} that have no counterpart in the other
     * (as paths relative to each root): every exercise needs both a starter and a reference solution.
     */
    public List<String> unpairedExerciseFiles() {
        Path starters = module.resolve("src/starter/java");
        Path solutions = module.resolve("src/solution/java");
        List<String> starterFiles = javaFiles(starters).stream().map(p -> starters.relativize(p).toString()).toList();
        List<String> solutionFiles = javaFiles(solutions).stream().map(p -> solutions.relativize(p).toString()).toList();
        List<String> unpaired = new ArrayList<>();
        starterFiles.stream().filter(f -> !solutionFiles.contains(f)).map(f -> "src/starter/java/" + f).forEach(unpaired::add);
        solutionFiles.stream().filter(f -> !starterFiles.contains(f)).map(f -> "src/solution/java/" + f).forEach(unpaired::add);
        return unpaired;
    }

    /** Compiles the starters with the module's sources and tests; throws with javac's messages if that fails. */
    public Path compileStarters() {
        Path output = module.resolve("target/starter-check/classes");
        deleteRecursively(output);
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> sources = new ArrayList<>();
        for (String root : List.of("src/main/java", "src/starter/java", "src/test/java")) {
            sources.addAll(javaFiles(module.resolve(root)));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-Xlint:all,-processing,-serial", "-Werror",
                    "-encoding", "UTF-8", "-d", output.toString(),
                    "-classpath", String.join(File.pathSeparator, dependencies().stream().map(Path::toString).toList()));
            boolean compiled = javac.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            if (!compiled) {
                StringBuilder report = new StringBuilder("The starters do not compile with the tutorial app and the exercise tests:");
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    report.append('\n').append(d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                            .append(d.getMessage(Locale.ROOT));
                }
                throw new AssertionError(report.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return output;
    }

    /** Runs the tests of {@code exercisesPackage} against the compiled starters. */
    public List<Outcome> runExerciseTests(Path starterClasses, String exercisesPackage) {
        List<URL> urls = new ArrayList<>();
        urls.add(url(starterClasses));
        Path testResources = module.resolve("src/test/resources");
        if (Files.isDirectory(testResources)) {
            urls.add(url(testResources));
        }
        for (Path dependency : dependencies()) {
            urls.add(url(dependency));
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // The platform loader as parent: nothing of this module's target/classes (the solutions) can leak in.
        try (URLClassLoader starters = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(starters);
            Object rows = starters.loadClass(StarterRun.class.getName()).getMethod("run", String.class)
                    .invoke(null, exercisesPackage);
            List<Outcome> outcomes = new ArrayList<>();
            for (Object row : (List<?>) rows) {
                String[] fields = (String[]) row;
                outcomes.add(new Outcome(fields[0], fields[1],
                        fields[2].isEmpty() ? List.of() : List.of(fields[2].split(",")), fields[3], fields[4]));
            }
            return outcomes;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("The JUnit launcher failed on the starters", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot start the JUnit launcher on the starters", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The test classpath without this module's own output: the dependencies, as surefire resolved them. */
    private List<Path> dependencies() {
        Path ownClasses = module.resolve("target/classes");
        Path ownTestClasses = module.resolve("target/test-classes");
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (!path.equals(ownClasses) && !path.equals(ownTestClasses)) {
                entries.add(path);
            }
        }
        return entries;
    }

    private static List<Path> javaFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(path.toString(), e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
