package org.openaudience.output;

import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The server folder under which CSV file drops live. Outputs name a folder inside it, so people who configure
 * outputs cannot make the server write anywhere else.
 */
@Component
public class FileDropRoot {

    private final Path root;

    FileDropRoot(@Value("${openaudience.outputs.file-drop-root}") String root) {
        this.root = Path.of(root).toAbsolutePath().normalize();
    }

    public Path path() {
        return root;
    }

    /** A folder of an output (already checked to stay inside). */
    public Path resolve(String folder) {
        Path resolved = root.resolve(folder).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalArgumentException("Folder outside the file-drop root: " + folder);
        }
        return resolved;
    }
}
