package org.prostateed.cdshooks.json;

import java.util.List;

/** The hook's answer: zero or more cards. */
public record CdsResponseJson(List<CardJson> cards) {}
