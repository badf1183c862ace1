/**
 * The HL7 URL-based Infobutton (Context Aware Knowledge Retrieval) endpoint, answering like
 * MedlinePlus Connect with links to the handouts that may be given for a problem code.
 * {@link org.prostateed.infobutton.InfobuttonResponder} is plain Java over the content library
 * and the engine's {@link org.prostateed.engine.HandoutChoice} (JSON or Atom XML feed);
 * {@link org.prostateed.infobutton.InfobuttonServlet} is the thin servlet edge, mounted by the
 * embedded server at {@code /infobutton} or by a host where it chooses.
 */
package org.prostateed.infobutton;
