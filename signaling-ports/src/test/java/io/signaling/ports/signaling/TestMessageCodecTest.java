package io.signaling.ports.signaling;

/** The test codec meets the same contract as production codecs, so tests built on it are honest. */
class TestMessageCodecTest extends MessageCodecContract {

    private final TestMessageCodec codec = new TestMessageCodec();

    @Override
    protected MessageCodec codec() {
        return codec;
    }
}
