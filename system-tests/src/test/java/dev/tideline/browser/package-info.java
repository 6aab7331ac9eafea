/**
 * Tests in a real, headless Chromium against the services' jars on the embedded stack: the
 * browser tracker and the beacon endpoint. {@link dev.tideline.browser.Chromium} is the one browser
 * setup of these tests.
 */
package dev.tideline.browser;
