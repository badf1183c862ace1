/**
 * The HL7 URL-based Infobutton (Context Aware Knowledge Retrieval) endpoint, answering like
 * MedlinePlus Connect with links to the handouts that may be given for a problem code.
 * {@link org.prostateed.infobutton.InfobuttonResponder} is plain Java over the content library
 * and the engine's {@link org.prostateed.engine.HandoutChoice} (JSON or Atom XML feed);
 * {@link org.prostateed.infobutton.InfobuttonResource} is the thin JAX-RS edge,
 * {@code GET /infobutton}, registered as an instance by the composition root.
 */
package org.prostateed.infobutton;
