/// One thread `Pn(params) { body }` of a litmus test.
public struct LitmusThread: Equatable, Sendable {
    /// The thread's number `n`.
    public let index: Int
    /// The parameter names; each names the shared location whose address it holds.
    public let parameters: [String]
    public let body: [LitmusStatement]

    public init(index: Int, parameters: [String], body: [LitmusStatement]) {
        self.index = index
        self.parameters = parameters
        self.body = body
    }
}
