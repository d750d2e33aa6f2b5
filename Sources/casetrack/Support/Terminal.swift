import Foundation

/// What standard output is connected to.
enum Terminal {
    /// The width to draw charts in when standard output is a terminal, else nil (no chart).
    static var chartWidth: Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        return width
    }

    static var width: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }
}
