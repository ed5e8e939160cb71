#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable pthread that carries a name, so that labels and reports can say who ran.
public final class NativeThread: @unchecked Sendable {
    /// The name of the calling thread, if it was started as a `NativeThread`.
    public static var currentName: String? {
        guard let raw = pthread_getspecific(nameKey) else { return nil }
        return Unmanaged<Box>.fromOpaque(raw).takeUnretainedValue().name
    }

    public let name: String
    private var handle: pthread_t
    private var joined = false

    private final class Box {
        let name: String
        let body: () -> Void
        init(name: String, body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }

    private static let nameKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private init(name: String, handle: pthread_t) {
        self.name = name
        self.handle = handle
    }

    /// Starts `body` on a new thread with the given stack size.
    public static func start(name: String, stackSize: Int = 1 << 20, _ body: @escaping () -> Void) -> NativeThread {
        let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        _ = nameKey
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, stackSize)
        #if canImport(Glibc)
        var handle = pthread_t()
        #else
        var handle: pthread_t?
        #endif
        let result = pthread_create(&handle, &attributes, { context in
            let box = Unmanaged<Box>.fromOpaque(context!)
            pthread_setspecific(NativeThread.nameKey, context)
            box.takeUnretainedValue().body()
            pthread_setspecific(NativeThread.nameKey, nil)
            box.release()
            return nil
        }, box)
        pthread_attr_destroy(&attributes)
        precondition(result == 0, "pthread_create failed with \(result)")
        #if canImport(Glibc)
        return NativeThread(name: name, handle: handle)
        #else
        return NativeThread(name: name, handle: handle!)
        #endif
    }

    /// Waits for the thread to finish.
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(handle, nil)
    }

    /// Lets the thread finish on its own; it can no longer be joined.
    public func detach() {
        guard !joined else { return }
        joined = true
        pthread_detach(handle)
    }
}
