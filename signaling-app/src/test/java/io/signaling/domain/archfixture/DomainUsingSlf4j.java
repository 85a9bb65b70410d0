package io.signaling.domain.archfixture;

/** Deliberately bad: a domain class that imports a logging framework. Never shipped. */
public class DomainUsingSlf4j {
    org.slf4j.Logger logger;
}
