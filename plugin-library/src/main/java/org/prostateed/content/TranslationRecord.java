package org.prostateed.content;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code content translated}: records in a translation's front matter that it now follows the
 * current version of its original ({@code translatedFromVersion} and the original file's
 * {@code translatedFromSha256}). Run it after the translation has been brought in step; the
 * translation must then be approved again, since its own file changed.
 */
public final class TranslationRecord {

  private static final Pattern KEY = Pattern.compile("(?m)^(translatedFrom|translatedFromVersion|translatedFromSha256|version|id):\\s*\"?([^\"\\n]*)\"?\\s*$");

  private TranslationRecord() {}

  /** Updates the record of {@code artifact} (a handout file inside {@code root}); returns the original's path. */
  public static Path record(Path root, String artifact) throws IOException {
    Path file = root.resolve(artifact).normalize();
    if (!file.startsWith(root.normalize()) || !Files.isRegularFile(file) || !artifact.endsWith(".md")) {
      throw new IllegalArgumentException(artifact + " is not a handout file of the content library");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String id = value(text, "id");
    String from = value(text, "translatedFrom");
    if (id == null || from == null) {
      throw new IllegalArgumentException(artifact + " names no translatedFrom in its front matter");
    }
    Path original = file.resolveSibling(id + "." + from + ".md");
    if (!Files.isRegularFile(original)) {
      throw new IllegalArgumentException(artifact + " was translated from " + from + ", and " + original.getFileName()
          + " does not exist");
    }
    byte[] originalBytes = Files.readAllBytes(original);
    String originalVersion = value(new String(originalBytes, StandardCharsets.UTF_8), "version");
    String updated = replace(replace(text, "translatedFromVersion", originalVersion), "translatedFromSha256",
        ContentLoader.sha256(originalBytes));
    Files.writeString(file, updated, StandardCharsets.UTF_8);
    return original;
  }

  private static String value(String text, String key) {
    Matcher matcher = KEY.matcher(text.substring(0, Math.max(0, text.indexOf("\n---", 3))));
    while (matcher.find()) {
      if (matcher.group(1).equals(key)) {
        return matcher.group(2).trim();
      }
    }
    return null;
  }

  private static String replace(String text, String key, String value) {
    Pattern line = Pattern.compile("(?m)^" + key + ":.*$");
    if (!line.matcher(text).find()) {
      throw new IllegalArgumentException("the front matter has no " + key + " line to update");
    }
    return line.matcher(text).replaceFirst(Matcher.quoteReplacement(key + ": " + value));
  }
}
