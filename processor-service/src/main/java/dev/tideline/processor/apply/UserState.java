package dev.tideline.processor.apply;

/**
 * A user's item: the aggregate, the mark of the last record applied to it, and the dedupe window.
 */
public record UserState(UserActivity activity, Mark mark, RecentIds recentIds) {}
