package com.kasparro.etl.api;

import com.kasparro.etl.ingest.api.PollLauncher;
import com.kasparro.etl.store.RunRepository;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A stand-in for the CoinGecko poll behind {@code POST /runs/coingecko}: records each launch and
 * opens a real run row, or reports a poll already running.
 */
public class RecordingPollLauncher implements PollLauncher {

    final List<String> triggers = new CopyOnWriteArrayList<>();
    volatile boolean pollRunning;
    private final RunRepository runs;

    RecordingPollLauncher(RunRepository runs) {
        this.runs = runs;
    }

    @Override
    public OptionalLong launch(String source, String trigger) {
        triggers.add(trigger);
        if (pollRunning) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(runs.start(source, trigger));
    }

    @Override
    public boolean canPoll(String source) {
        return source.equals("coingecko_api");
    }

    @Override
    public boolean isDisabled(String source) {
        return false;
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        @Primary
        RecordingPollLauncher recordingPollLauncher(RunRepository runs) {
            return new RecordingPollLauncher(runs);
        }
    }
}
