/// What an input says about one optional field: nothing (the key is absent, or a CSV cell is
/// empty), that it is empty (JSON `null`), or a value.
///
/// Absence and `null` differ on purpose: an import changes only what its input states, so an
/// absent key leaves the register's value as it is while `null` clears it.
public enum Stated<Value: Sendable & Equatable>: Sendable, Equatable {
    case unstated
    case null
    case value(Value)

    /// The stated value, nil for `null` and when nothing is stated.
    public var value: Value? {
        if case let .value(value) = self { return value }
        return nil
    }

    public var isStated: Bool { self != .unstated }

    /// A value written out in full (exports state every field).
    public init(_ value: Value?) {
        self = value.map(Stated.value) ?? .null
    }
}

extension Stated where Value == String {
    /// The draft form of `CaseFields`: nil leaves the field, "" clears it.
    var draft: String? {
        switch self {
        case .unstated: return nil
        case .null: return ""
        case let .value(text): return text
        }
    }
}
