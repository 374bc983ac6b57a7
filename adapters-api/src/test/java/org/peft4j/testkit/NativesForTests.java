package org.peft4j.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.peft4j.natives.Natives;

/**
 * Makes every test JVM of the project choose its ND4J natives as the command line does
 * ({@link Natives#select()}: the oneDNN build on x86-64 Linux with AVX2, the generic one elsewhere, or
 * what {@code -Dpeft4j.natives=...} asks for) before any test touches ND4J. Registered for the JUnit
 * Platform in {@code META-INF/services} of this module's test jar, which every module's tests use.
 */
public final class NativesForTests implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Natives.select();
    }
}
