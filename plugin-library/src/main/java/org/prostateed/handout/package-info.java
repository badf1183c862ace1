/**
 * Rendering a personalised handout for the patient: {@link org.prostateed.handout.HandoutRenderer}
 * (Markdown to sanitised HTML, draft watermark). Plain Java.
 */
package org.prostateed.handout;
