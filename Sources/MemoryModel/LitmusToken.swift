/// One token of a C litmus file, with the line it starts on.
struct LitmusToken: Equatable {
    enum Kind: Equatable {
        case identifier
        case number
        case symbol
        case end
    }

    let kind: Kind
    let text: String
    let line: Int

    func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }
    func isIdentifier(_ s: String) -> Bool { kind == .identifier && text == s }
}
