/**
 * The browser tracker and the beacon endpoint in a real, headless Chromium, against the services'
 * jars on the embedded stack.
 */
package dev.tideline.tracker;
