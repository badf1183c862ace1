/**
 * The patient's chart as the plugin reads it, shared by the FHIR operations and the CDS hook:
 * {@link org.prostateed.chart.ChartRecords} (FHIR R4 records to the engine's records) and
 * {@link org.prostateed.chart.ChartQueries} (the narrowest searches the content's rules need).
 */
package org.prostateed.chart;
