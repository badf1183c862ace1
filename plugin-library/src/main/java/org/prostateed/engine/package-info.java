/**
 * The clinical engine over our own records: {@link org.prostateed.engine.QualifyingDiagnosisFinder}
 * (which encounters qualify), {@link org.prostateed.engine.ContraindicationCheck} (the decision),
 * {@link org.prostateed.engine.HandoutChoice} (which version may be given) and
 * {@link org.prostateed.engine.HandoutPersonalisation} (which sections apply). Plain Java.
 */
package org.prostateed.engine;
