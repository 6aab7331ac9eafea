/** {@code ./tideline up}: the local stack and every service, supervised, in one command. */
package dev.tideline.localaws.up;
