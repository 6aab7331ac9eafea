package dev.tideline.processor;

import dev.tideline.processor.config.RebuildApplication;
import dev.tideline.processor.config.RedriveApplication;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ProcessorApplication {

    /**
     * The service; with {@code rebuild} first, a rebuild of the aggregates from the archive instead,
     * and with {@code redrive}, a redrive of the dead letters.
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("rebuild")) {
            System.exit(RebuildApplication.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("redrive")) {
            System.exit(RedriveApplication.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(ProcessorApplication.class, args);
    }
}
