import Vocabulary

/// What a finding means for a kernel maintainer, in prose: the mechanism, what breaks, what
/// has to line up for it to happen, and the fix as a change to kernel functions with the
/// spec's switches that state it.
///
/// The prose cites kernel functions as `file:function` and never quotes kernel statements.
/// One story covers every property that one mechanism breaks; ``FindingStories`` holds them.
struct FindingStory {
    /// A short name of the mechanism, for file names and links (`stale-rx-len`).
    let slug: String
    /// The subject line's text after the subsystem prefix.
    let subject: String
    /// What breaks: the mechanism, against the kernel functions.
    let breaks: String
    /// The consequence in kernel terms: the warning, the corrupted transfer, the lost buffer.
    let consequence: String
    /// What has to line up for the window to open, and how often that may happen.
    let likelihood: String
    /// The fix in prose, against the kernel functions.
    let fix: String
    /// The spec's switches that state the fix (each is on in `fixed`).
    let switches: [Switch]
    /// The properties this mechanism breaks, the one the story is told for first.
    let properties: [Property]
}
