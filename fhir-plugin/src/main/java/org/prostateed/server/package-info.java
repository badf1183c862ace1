/**
 * The embedded default: {@link org.prostateed.server.EmbeddedServer}, the composition root that
 * starts a HAPI JPA server (H2 file or PostgreSQL) with the plugin, and {@code /health}.
 */
package org.prostateed.server;
