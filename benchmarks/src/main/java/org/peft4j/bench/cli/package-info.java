/** The {@code peft4j} command line (picocli): {@code demo}, {@code compare}, {@code params}, {@code speed}. */
package org.peft4j.bench.cli;
