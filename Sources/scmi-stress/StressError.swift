/// Why `scmi-stress` stops before running.
enum StressError: Error {
    case usage(String)
    case help
}
