import Scheduling
import Vocabulary

extension PointLabel {
    /// The point of `function`'s `access` (inside `helper`), with a detail naming the buffer,
    /// token or value it touches: "poll_done poll_status = POLL_DONE (buf1)".
    static func op(_ function: KernelFunction, _ access: Access, via helper: Helper? = nil, _ detail: String = "") -> PointLabel {
        PointLabel(Operation(function, access, via: helper), detail)
    }
}
