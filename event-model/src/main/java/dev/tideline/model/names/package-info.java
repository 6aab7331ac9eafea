/** The names of Tideline's AWS resources, one definition for every environment. */
@NullMarked
package dev.tideline.model.names;

import org.jspecify.annotations.NullMarked;
