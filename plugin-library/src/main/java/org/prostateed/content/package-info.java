/**
 * The clinical content as data: the model records and {@link org.prostateed.content.ContentLoader},
 * which reads {@code content/} and fails with file, field and reason on invalid content. Plain
 * Java: no FHIR library or transport types (checked by ArchitectureTest).
 */
package org.prostateed.content;
