package org.prostateed.content;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * {@code content approve}: records that a named clinician approved one exact file of the
 * library, as {@code approvals/<file>-<version>.json} holding the file's SHA-256.
 */
public final class ContentApproval {

  private final ObjectMapper json;

  public ContentApproval(ObjectMapper json) {
    this.json = json;
  }

  /** Writes the approval and returns its path. */
  public Path approve(Path root, String artifact, String approver, String role, LocalDate date) throws IOException {
    if (approver == null || approver.isBlank() || role == null || role.isBlank()) {
      throw new IllegalArgumentException("the approver's name and role are both required");
    }
    Path file = root.resolve(artifact).normalize();
    if (!file.startsWith(root.normalize()) || !Files.isRegularFile(file)) {
      throw new IllegalArgumentException(artifact + " is not a file of the content library");
    }
    byte[] bytes = Files.readAllBytes(file);
    String version = versionOf(artifact, bytes);
    ObjectNode approval = json.createObjectNode();
    approval.put("artifact", root.normalize().relativize(file).toString().replace('\\', '/'));
    approval.put("version", version);
    approval.put("sha256", ContentLoader.sha256(bytes));
    approval.put("approver", approver);
    approval.put("role", role);
    approval.put("date", date.toString());
    String name = file.getFileName().toString().replaceFirst("\\.(md|json)$", "") + "-" + version + ".json";
    Path target = root.resolve("approvals").resolve(name);
    Files.createDirectories(target.getParent());
    Files.writeString(target, json.writerWithDefaultPrettyPrinter().writeValueAsString(approval) + "\n",
        StandardCharsets.UTF_8);
    return target;
  }

  private String versionOf(String artifact, byte[] bytes) throws IOException {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (artifact.endsWith(".json")) {
      String version = json.readTree(text).path("version").asText(null);
      if (version == null) {
        throw new IllegalArgumentException(artifact + " has no version");
      }
      return version;
    }
    for (String line : text.split("\n")) {
      if (line.startsWith("version:")) {
        return line.substring("version:".length()).trim().replace("\"", "");
      }
    }
    throw new IllegalArgumentException(artifact + " has no version in its front matter");
  }
}
