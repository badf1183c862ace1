package org.prostateed.it;

import org.testcontainers.utility.DockerImageName;

/**
 * The images of the Testcontainers suites: the official ones, unless a system property names a
 * compatible image to use instead (for a machine that cannot reach a registry, see
 * {@code .ci/containers/run}).
 */
final class ContainerImages {

  private ContainerImages() {
  }

  /** {@code postgres:15}, or {@code -Dit.image.postgres}. */
  static DockerImageName postgres() {
    return image("it.image.postgres", "postgres:15", "postgres");
  }

  /** {@code hapiproject/hapi:latest}, or {@code -Dit.image.hapi}. */
  static DockerImageName hapi() {
    return image("it.image.hapi", "hapiproject/hapi:latest", "hapiproject/hapi");
  }

  private static DockerImageName image(String property, String official, String substituteFor) {
    String chosen = System.getProperty(property, "").trim();
    return chosen.isEmpty() ? DockerImageName.parse(official)
        : DockerImageName.parse(chosen).asCompatibleSubstituteFor(substituteFor);
  }
}
