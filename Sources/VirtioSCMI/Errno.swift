/// The kernel error numbers the transport and core return (negated, as in the kernel).
public enum Errno {
    public static let EIO: Int32 = 5
    public static let EBUSY: Int32 = 16
    public static let EINVAL: Int32 = 22
    public static let ENOSPC: Int32 = 28
    public static let ETIMEDOUT: Int32 = 110

    /// A readable name for a return code: "0", "-ETIMEDOUT", ...
    public static func name(_ code: Int32) -> String {
        switch -code {
        case 0: return "0"
        case EIO: return "-EIO"
        case EBUSY: return "-EBUSY"
        case EINVAL: return "-EINVAL"
        case ENOSPC: return "-ENOSPC"
        case ETIMEDOUT: return "-ETIMEDOUT"
        default: return "\(code)"
        }
    }
}
