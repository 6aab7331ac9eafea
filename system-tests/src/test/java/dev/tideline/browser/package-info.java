/**
 * The one browser setup of the system tests: {@link dev.tideline.browser.Chromium}, a real headless
 * Chromium driven through Selenium, for the console's page and the browser tracker.
 */
package dev.tideline.browser;
