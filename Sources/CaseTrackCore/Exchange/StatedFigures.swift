/// One figure of a case's results, as totals-only input (CSV rows, `extract` output) states it.
public enum Figure: String, CaseIterable, Sendable {
    /// The initial sweep's arrests.
    case arrestsInitial = "arrests_initial"
    /// The extended investigation's arrests (扩线深挖).
    case arrestsExtended = "arrests_extended"
    /// All arrests, when the input gives the total without saying how much was extended.
    case arrests
    case gangs
    case links

    /// The kind of result row that carries this figure.
    var kind: ResultKind {
        switch self {
        case .arrestsInitial, .arrestsExtended, .arrests: return .arrest
        case .gangs: return .gang
        case .links: return .link
        }
    }

    /// The arrest phase whose rows this figure sums, nil when it sums every row of its kind.
    var phase: ArrestPhase? {
        switch self {
        case .arrestsInitial: return .initial
        case .arrestsExtended: return .extended
        default: return nil
        }
    }
}

/// The figures a totals-only input states for one case; a figure it does not carry is nil and
/// is left as the register has it. Counts are 0…1,000,000 (0 states that there were none).
public struct StatedFigures: Sendable, Equatable {
    public var counts: [Figure: Int] = [:]
    /// A note for the row an import writes for a figure (for example that it is a lower bound).
    public var notes: [Figure: String] = [:]
    /// Figures stated as "at least" (2000余): a register figure at or above agrees with them.
    public var lowerBounds: Set<Figure> = []

    public init() {}

    public var isEmpty: Bool { counts.isEmpty }

    /// The stated figures in a fixed order, for messages and dry runs.
    public var stated: [(Figure, Int)] {
        Figure.allCases.compactMap { figure in counts[figure].map { (figure, $0) } }
    }
}
