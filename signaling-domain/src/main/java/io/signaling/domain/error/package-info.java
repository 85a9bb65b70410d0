/** Domain errors as data: a sealed set of kinds, each with a stable code. */
package io.signaling.domain.error;
