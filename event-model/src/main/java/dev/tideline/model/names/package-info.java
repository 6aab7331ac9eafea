/** The names of Tideline's AWS resources, one definition for every environment. */
package dev.tideline.model.names;
