/** The health model: a named check result, a status, and the rule that aggregates them. */
package io.signaling.domain.health;
