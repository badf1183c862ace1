package org.prostateed.cdshooks.json;

import java.util.List;

/** {@code GET /cds-services}. */
public record CdsDiscoveryJson(List<CdsServiceJson> services) {}
