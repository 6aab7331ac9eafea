package dev.tideline.processor.rebuild;

import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.Write;
import dev.tideline.processor.generation.Generation;
import dev.tideline.processor.generation.Generations;
import dev.tideline.processor.generation.Pointer;
import dev.tideline.processor.generation.Rules;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Builds the next generation of the aggregates from the archive while the current one serves, and
 * switches to it. Each step can be cut short by a crash and run again, and the same command then
 * ends in the same generation:
 *
 * <ol>
 *   <li><b>Plan.</b> The archiver's checkpoints say how far the archive is whole; they are recorded
 *       with the new generation in the pointer, so every attempt covers the same records.
 *   <li><b>Load.</b> The SQL fold runs over the planned records ({@link FoldEngine}: DuckDB over a
 *       copy on disk, or Athena over the Glue table), and its items are put in the new generation's
 *       table in bulk: an item an earlier attempt put is put again the same. Then the new
 *       generation's lease table, each shard's checkpoint at the plan's. Then the pointer says
 *       loaded.
 *   <li><b>Catch up.</b> The new generation's consumer reads the stream from right after the
 *       archive until each shard's checkpoint reaches the current generation's.
 *   <li><b>Switch.</b> One conditional write of the pointer; the query API and the workers follow.
 * </ol>
 */
public final class Rebuild {

    /**
     * @param firstTable the first generation's aggregates table
     * @param firstApplication the first generation's KCL application
     * @param archiverApplication the archiver's KCL application, whose checkpoints plan the rebuild
     * @param from when set, only events that arrived at or after it are folded
     * @param to when set, the archive is folded up to the last record that arrived before it, and
     *     the stream read from there ({@link Handover})
     * @param keepPrevious how long the previous generation is kept after the switch; null for ever
     * @param catchUpTimeout how long the new generation may take to catch up
     * @param writeBatch items written per call of the store
     */
    public record Settings(
            String firstTable,
            String firstApplication,
            String archiverApplication,
            @Nullable Instant from,
            @Nullable Instant to,
            @Nullable Duration keepPrevious,
            Duration catchUpTimeout,
            Duration catchUpPoll,
            int writeBatch,
            ApplySettings apply) {}

    private final Settings settings;
    private final Generations generations;
    private final Function<Generation, ItemLoader> loaders;
    private final ArchiveSource archive;
    private final LeaseTables leases;
    private final StreamPositions positions;
    private final FoldEngine engine;
    private final CatchUp catchUp;
    private final Progress progress;
    private final Clock clock;

    public Rebuild(
            Settings settings,
            Generations generations,
            Function<Generation, ItemLoader> loaders,
            ArchiveSource archive,
            LeaseTables leases,
            StreamPositions positions,
            FoldEngine engine,
            CatchUp catchUp,
            Progress progress,
            Clock clock) {
        this.settings = settings;
        this.generations = generations;
        this.loaders = loaders;
        this.archive = archive;
        this.leases = leases;
        this.positions = positions;
        this.engine = engine;
        this.catchUp = catchUp;
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * Abandons the rebuild under way, if any: deletes its tables, then forgets it, so that the next
     * rebuild begins afresh (under other rules, for one). Cut short, it is finished by running it
     * again. Returns the generation abandoned, or null when none was being built.
     */
    public @Nullable Generation abandon() {
        Pointer.Building building = generations.read().building();
        if (building == null) {
            progress.say("No rebuild is under way");
            return null;
        }
        Generation next = building.generation();
        generations.delete(next);
        if (!generations.abandon(next)) {
            throw new IllegalStateException("the generation pointer moved while " + next + " was abandoned");
        }
        progress.say("Abandoned the rebuild of " + next + ": its tables are deleted");
        cleanWorkDir();
        return next;
    }

    /** Runs or resumes the rebuild; returns the generation now served. */
    public Generation run() throws Exception {
        if (settings.from() != null && settings.to() != null && !settings.from().isBefore(settings.to())) {
            throw new RebuildRefusedException("--from " + settings.from() + " is not before --to " + settings.to()
                    + ": there would be nothing to fold");
        }
        Pointer pointer = generations.read();
        if (pointer.building() == null) {
            pointer = begin(pointer);
        } else {
            progress.say("Resuming the rebuild of " + pointer.building().generation() + " from its plan");
        }
        Pointer.Building building = Objects.requireNonNull(pointer.building());
        Generation current = pointer.current();
        Generation next = building.generation();
        Plan plan = Plan.decode(building.plan());
        requireAsBegun(next, building.rules(), plan);
        ApplySettings apply = building.rules().applyTo(settings.apply());
        engine.clean(next);
        if (!building.loaded()) {
            load(next, plan, apply);
            if (!generations.loaded(next)) {
                throw new IllegalStateException("the generation pointer moved while " + next + " was loaded");
            }
        }
        catchUpAndSwitch(current, next, apply);
        cleanWorkDir();
        return next;
    }

    /** The generation is served or abandoned: its copy of the archive, or Athena's answers, go. */
    private void cleanWorkDir() {
        try {
            engine.clean(null);
        } catch (IOException e) {
            progress.say("The work directory could not be emptied (" + e + "); delete it by hand");
        }
    }

    private Pointer begin(Pointer pointer) throws SQLException, IOException {
        List<ArchiveSource.ArchivedObject> objects = archive.list();
        List<String> foreign = objects.stream()
                .filter(o -> o.shardId() == null)
                .map(ArchiveSource.ArchivedObject::key)
                .limit(3)
                .toList();
        Map<String, Plan.Checkpoint> checkpoints = leases.checkpoints(settings.archiverApplication());
        if (!foreign.isEmpty() || (checkpoints.isEmpty() && !objects.isEmpty())) {
            throw new RebuildRefusedException(archive.location() + " holds objects that Tideline's archiver did not"
                    + " write ("
                    + (foreign.isEmpty()
                            ? "no archiver lease table " + settings.archiverApplication()
                            : String.join(", ", foreign))
                    + "): Firehose writes them, without the stream"
                    + " positions a rebuild needs to hand over to the stream with no gap and no double count."
                    + " Deploy the archiver as the cold path (cdk deploy -c coldPath=archiver); what it archives"
                    + " can be rebuilt from.");
        }
        Instant created = positions.created();
        if (settings.to() != null && !settings.to().isAfter(created)) {
            throw new RebuildRefusedException("--to " + settings.to() + " is not after the stream was created, at "
                    + created + ": the stream holds nothing from before then to hand over to. Choose a later --to,"
                    + " or none.");
        }
        // The archiver's checkpoints are checked first: a handover reads the stream after them.
        List<String> missing = positions.missing(new Plan(checkpoints, null, null));
        if (!missing.isEmpty()) {
            throw new RebuildRefusedException("the archiver's checkpoints of "
                    + String.join(", ", missing.stream().sorted().toList())
                    + " (lease table " + settings.archiverApplication() + ") are not this stream's: the stream was"
                    + " deleted and created again (its shards are new ones under the same names) while the archiver"
                    + " kept the earlier stream's checkpoints, or the archiver is further behind than the stream"
                    + " keeps records. A new generation could not go on from the archive's end. After a stream was"
                    + " created again, stop the archiver, delete its lease table, start it, and rebuild once it has"
                    + " archived the new stream (see the README: a stream deleted and created again).");
        }
        sayEarlierStreams(objects, created);
        Generation next = pointer.current().next();
        Plan plan = new Plan(checkpoints, settings.from(), settings.to(), created);
        if (plan.to() != null) {
            plan = handOver(next, plan);
        }
        if (!generations.begin(pointer.current(), next, plan.encode(), Rules.of(settings.apply()))) {
            Pointer now = generations.read();
            if (now.building() == null) {
                throw new IllegalStateException("the generation pointer moved as the rebuild began: " + now);
            }
            progress.say("Another rebuild began " + now.building().generation() + " first: resuming it");
            return now;
        }
        progress.say("Building " + next + " beside " + pointer.current() + ", from the archive up to "
                + plan.checkpoints().size() + " shards' checkpoints"
                + (plan.to() == null ? "" : " (the last records that arrived before " + plan.to() + ")"));
        return generations.read();
    }

    /**
     * Says that the archive holds records of an earlier stream of the same name, when it has objects
     * of an hour that ended before the stream was created. (Records of the hour it was created in are
     * told apart by their arrival, in the fold.)
     */
    private void sayEarlierStreams(List<ArchiveSource.ArchivedObject> objects, Instant created) {
        long earlier = objects.stream()
                .filter(o -> {
                    Instant hour = o.hour();
                    return hour != null && !hour.plus(Duration.ofHours(1)).isAfter(created);
                })
                .count();
        if (earlier > 0) {
            progress.say("The stream was created at " + created + "; the archive holds "
                    + Progress.amount(earlier, "object") + " from before then, an earlier stream's of the same"
                    + " name: their records are folded whole, before this stream's, and none of their positions"
                    + " is kept as a mark or a checkpoint");
        }
    }

    /**
     * Refuses to go on with a rebuild under rules other than those it began with: items written
     * under one session gap and items written under another would make a generation exact under
     * neither.
     */
    private void requireAsBegun(Generation next, Rules rules, Plan plan) {
        Rules asked = Rules.of(settings.apply());
        Plan as = new Plan(plan.checkpoints(), settings.from(), settings.to());
        if (!asked.equals(rules) || !Objects.equals(as.from(), plan.from()) || !Objects.equals(as.to(), plan.to())) {
            throw new RebuildRefusedException("the rebuild of " + next + " began with " + describe(rules, plan)
                    + "; this command asks for " + describe(asked, as)
                    + ". Run it with the options it began with to finish it (" + options(rules, plan)
                    + "), or abandon it (--abandon) to begin again under other rules.");
        }
    }

    private static String describe(Rules rules, Plan plan) {
        return "a session gap of " + Progress.duration(rules.sessionGap()) + ", at most " + rules.maxEventTypes()
                + " event types, "
                + (plan.from() == null ? "every archived event" : "the events that arrived from " + plan.from())
                + (plan.to() == null ? "" : " until " + plan.to() + ", the stream after");
    }

    private static String options(Rules rules, Plan plan) {
        return "--session-gap " + Progress.duration(rules.sessionGap()) + " --max-event-types " + rules.maxEventTypes()
                + (plan.from() == null ? "" : " --from " + plan.from())
                + (plan.to() == null ? "" : " --to " + plan.to());
    }

    /** The plan made to end at {@code --to} ({@link Handover}). */
    private Plan handOver(Generation next, Plan plan) throws SQLException, IOException {
        Plan handedOver = engine.handOver(next, plan, positions);
        StringJoiner where = new StringJoiner(", ");
        handedOver
                .checkpoints()
                .forEach((shard, c) -> where.add(shard
                        + (c.isPosition()
                                ? " after " + c.sequence() + "/" + c.subSequence()
                                : " from " + c.sequence())));
        progress.say("The stream takes over at " + plan.to() + ": " + where);
        return handedOver;
    }

    private void load(Generation next, Plan plan, ApplySettings apply) throws SQLException, IOException {
        generations.createTable(next);
        Batches batches = new Batches(loaders.apply(next));
        String read = engine.fold(next, plan, apply, batches::add);
        batches.flush();
        progress.step("write the lease table");
        leases.create(next.application(settings.firstApplication()), settings.archiverApplication(), plan);
        progress.say("Loaded " + next + " from " + read + ": " + Progress.amount(batches.written, "item"));
    }

    private void catchUpAndSwitch(Generation current, Generation next, ApplySettings apply) throws Exception {
        String live = current.application(settings.firstApplication());
        String mine = next.application(settings.firstApplication());
        // A live lease of an earlier stream (the stream was created again under the live consumer),
        // or of a shard the stream does not have, never moves again: the new generation has nothing
        // of it to reach.
        Map<String, Plan.Checkpoint> liveAtStart = leases.checkpoints(live);
        Set<String> shards = positions.shards();
        List<String> stale = new ArrayList<>(positions.missing(new Plan(liveAtStart, null, null)));
        liveAtStart.keySet().stream()
                .filter(shard -> !shards.contains(shard) && !stale.contains(shard))
                .forEach(stale::add);
        if (!stale.isEmpty()) {
            progress.say("The checkpoints of "
                    + String.join(", ", stale.stream().sorted().toList()) + " in " + live
                    + " are not this stream's (it was created again since, or no longer has them): " + next
                    + " does not wait for them");
        }
        progress.step("catch up with " + current);
        try (AutoCloseable consumer = catchUp.start(next, apply)) {
            Instant deadline = clock.instant().plus(settings.catchUpTimeout());
            while (true) {
                Map<String, Plan.Checkpoint> behind = new TreeMap<>(leases.checkpoints(live));
                behind.keySet().removeAll(stale);
                int reached = reached(behind, leases.checkpoints(mine));
                progress.caughtUp(reached, behind.size());
                if (reached == behind.size()) {
                    break;
                }
                if (clock.instant().isAfter(deadline)) {
                    throw new IllegalStateException(next + " did not catch up with " + current + " within "
                            + Progress.duration(settings.catchUpTimeout())
                            + "; run the rebuild again to go on from where it is");
                }
                Thread.sleep(settings.catchUpPoll().toMillis());
            }
            Duration keep = settings.keepPrevious();
            if (!generations.switchTo(
                    current, next, keep == null ? null : clock.instant().plus(keep))) {
                throw new IllegalStateException("the generation pointer moved before the switch to " + next);
            }
            progress.say("Switched to " + next + "; " + current
                    + (keep == null ? " is kept" : " is deleted after " + Progress.duration(keep)));
        }
    }

    /** The shards of the live generation the new one has reached; it has caught up when it reached all. */
    static int reached(Map<String, Plan.Checkpoint> live, Map<String, Plan.Checkpoint> mine) {
        return (int) live.entrySet().stream()
                .filter(e -> {
                    Plan.Checkpoint reached = mine.get(e.getKey());
                    return reached != null && reached.reached(e.getValue());
                })
                .count();
    }

    /** Loads the items in batches, telling the progress. */
    private final class Batches {
        private final ItemLoader loader;
        private final List<Write> pending = new ArrayList<>();
        private long written;

        Batches(ItemLoader loader) {
            this.loader = loader;
        }

        void add(Write w) {
            pending.add(w);
            if (pending.size() >= settings.writeBatch()) {
                flush();
            }
        }

        void flush() {
            loader.load(pending);
            written += pending.size();
            progress.wrote(pending.size());
            pending.clear();
        }
    }
}
