/** The command line: {@link org.prostateed.cli.Main} ({@code serve} is the default command). */
package org.prostateed.cli;
