/**
 * The plugin in a Spring Boot host (the HAPI JPA server starter): one configuration class and its
 * properties. Spring Boot is provided by the host.
 */
package org.prostateed.spring;
