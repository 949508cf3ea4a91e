package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocSnippetsTest {

    /** Surefire runs in e2e-tests/; the docs and the step modules are beside it. */
    private static final Path REPOSITORY = Path.of("..");

    @Test
    void every_code_block_in_the_docs_matches_its_region_of_the_compiled_sources() throws IOException {
        List<DocSnippets.Include> includes = new ArrayList<>();

        List<DocSnippets.Mismatch> mismatches = DocSnippets.check(REPOSITORY, includes);

        assertThat(includes).as("includes found in docs/").hasSizeGreaterThanOrEqualTo(8);
        assertThat(mismatches).as("run DocSnippets to refresh the docs").isEmpty();
    }

    @Test
    void a_block_edited_in_the_doc_or_a_region_that_is_gone_is_reported(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve("src/App.java"), String.join("\n",
                "class App {",
                "    void run() {",
                "        // region::hello",
                "        System.out.println(\"hello\");",
                "        // end::hello",
                "    }",
                "}"));
        Files.writeString(root.resolve("docs/step.md"), String.join("\n",
                "<!-- include: src/App.java#hello -->",
                "```java",
                "System.out.println(\"hello\");",
                "```",
                "<!-- include: src/App.java#hello -->",
                "```java",
                "System.out.println(\"edited by hand\");",
                "```",
                "<!-- include: src/App.java#gone -->",
                "```java",
                "```"));

        List<DocSnippets.Mismatch> mismatches = DocSnippets.check(root, new ArrayList<>());

        assertThat(mismatches).extracting(m -> m.include().line()).containsExactly(5, 9);
        assertThat(mismatches.get(1).toString()).contains("no such region");
    }
}
