package io.signaling.app.config;

import io.signaling.ports.signaling.ResumeSettings;
import java.time.Duration;

/**
 * (v1.1) Session resume.
 *
 * @param resumeWindow         {@code session.resume-window}: how long a lost session waits; 0 turns resume off
 * @param resumeBufferMessages {@code session.resume-buffer-messages}: messages kept per session
 * @param resumeBufferBytes    {@code session.resume-buffer-bytes}: the same bound in bytes
 */
public record SessionConfig(Duration resumeWindow, int resumeBufferMessages, long resumeBufferBytes) {

    public ResumeSettings resume() {
        return new ResumeSettings(resumeWindow, resumeBufferMessages, resumeBufferBytes);
    }
}
