/** JUnit 5 support: the embedded stack shared by a test JVM, and resources of each test class's own. */
package dev.tideline.localaws.junit;
