package org.prostateed.cdshooks.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** One service in the discovery response (CDS Hooks 2.0, "Discovery"). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CdsServiceJson(String hook, String title, String description, String id, Map<String, String> prefetch,
    String usageRequirements) {}
