extension Process {
    /// A process with the given actions in place of the ones its steps built: for transformations
    /// of a spec (such as the weak-memory one) that rewrite actions and keep the rest.
    public init(rebuilding process: Process, actions: [Action]) {
        self.name = process.name
        self.instance = process.instance
        self.pc = process.pc
        self.actions = actions
    }
}
