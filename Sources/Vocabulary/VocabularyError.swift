/// A name that is not in the vocabulary (an unknown variant, core or property), with the
/// names there are.
public struct VocabularyError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
