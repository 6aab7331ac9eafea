/** Tideline on AWS as code: one construct per group of resources, each taking a record of inputs. */
package dev.tideline.infra;
