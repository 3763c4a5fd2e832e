package org.openaudience.output;

import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The server folder under which CSV file drops live, one sub-folder per workspace ({@code workspace-<id>}). Outputs
 * name a folder inside their workspace's, so people who configure outputs cannot make the server write anywhere else
 * or into another workspace's drops.
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

    /** The workspace's folder of file drops. */
    public Path path(long workspaceId) {
        return root.resolve("workspace-" + workspaceId);
    }

    /** A folder of an output (already checked to stay inside). */
    public Path resolve(long workspaceId, String folder) {
        Path base = path(workspaceId);
        Path resolved = base.resolve(folder).normalize();
        if (!resolved.startsWith(base)) {
            throw new IllegalArgumentException("Folder outside the file-drop root: " + folder);
        }
        return resolved;
    }
}
