/// Something the environment may do at a scheduling point, chosen like an actor step: a
/// device returning a buffer, a deadline passing.
///
/// Its `perform` runs atomically (it takes no scheduling point) on whichever thread holds
/// control.
public struct EnvironmentEvent {
    /// Stable identifier used in schedules ("device:buf0").
    public let id: String
    /// Readable label for logs ("device: reply to buf0 (token 3)").
    public let label: String
    public let perform: () -> Void

    public init(id: String, label: String, perform: @escaping () -> Void) {
        self.id = id
        self.label = label
        self.perform = perform
    }
}
