import CStandardOutput
import Foundation

/// Standard output through a pager on a terminal, as git does: `$PAGER` (else `less -FRX`, which
/// exits at once when the text fits one screen). The pager is started in casetrack's own process
/// group, so that it may read the terminal (in a group of its own the terminal would stop it).
enum Pager {
    nonisolated(unsafe) private static var pid: pid_t?
    /// The terminal's width, read before standard output became the pager's pipe.
    nonisolated(unsafe) private(set) static var terminalWidth: Int?

    static func start() {
        guard isatty(STDOUT_FILENO) == 1 else { return }
        let command = ProcessInfo.processInfo.environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -FRX"
        guard command != "cat" else { return }
        terminalWidth = Terminal.width
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        if ProcessInfo.processInfo.environment["LESS"] == nil { setenv("LESS", "FRX", 1) }
        if ProcessInfo.processInfo.environment["LESSCHARSET"] == nil { setenv("LESSCHARSET", "utf-8", 1) }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var child: pid_t = 0
        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let started = posix_spawn(&child, "/bin/sh", &actions, nil, &argv, environ)
        close(fds[0])
        guard started == 0 else {
            close(fds[1])
            return
        }
        dup2(fds[1], STDOUT_FILENO)
        close(fds[1])
        pid = child
    }

    /// Hands the rest of the output to the pager and waits for the user to leave it.
    static func finish() {
        guard let child = pid else { return }
        _ = casetrack_flush_for_pager()
        close(STDOUT_FILENO)
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
        pid = nil
    }
}
