package org.prostateed.content;

import java.util.List;
import java.util.Map;

/**
 * The stop-and-get-help signs every handout must list, from {@code content/stop-signs.json}: each
 * sign's id and where it sends the patient. Every language of every handout lists exactly these
 * signs under exactly these routes.
 *
 * @param routes the routes by code (for example {@code emergency}, {@code clinic}), with what each means
 * @param signs each sign's id and route, in order
 */
public record StopSigns(Map<String, String> routes, List<Sign> signs) {

  /** One sign: its id, its route and the source of that routing. */
  public record Sign(String id, String route, String meaning, String source) {}

  public StopSigns {
    routes = Map.copyOf(routes);
    signs = List.copyOf(signs);
  }
}
