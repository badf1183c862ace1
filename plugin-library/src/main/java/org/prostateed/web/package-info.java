/**
 * The plugin's non-FHIR HTTP edges as plain servlets, which a host mounts at paths of its choosing:
 * the clinician web app ({@link org.prostateed.web.AppServlet}) and the general text of a givable
 * handout ({@link org.prostateed.web.HandoutServlet}); {@link org.prostateed.web.ServletAnswers} is
 * how every plugin servlet answers. {@link org.prostateed.web.PluginEndpoints} builds them all, with
 * the CDS Hooks and Infobutton servlets, from one set of settings.
 */
package org.prostateed.web;
